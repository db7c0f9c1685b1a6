import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_snapshot_make_private';
import { describeMoto } from '../../support/moto';
import { admin, remediateJournalled, runBot, seedInstance } from './rds-moto.fixtures';
import { undoThroughCli } from '../../support/undo-through-session';

const restoreOf = async (id: string) =>
  (
    await (await admin()).send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }))
  ).DBSnapshotAttributesResult!.DBSnapshotAttributes!.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];

async function publicSnapshot(id: string): Promise<void> {
  await seedInstance(`${id}-db`);
  const rds = await admin();
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: `${id}-db`, DBSnapshotIdentifier: id }));
  await rds.send(
    new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: id, AttributeName: 'restore', ValuesToAdd: ['all', '444455556666'] }),
  );
}

describeMoto('rds_snapshot_make_private against moto', () => {
  it('makes a public DB snapshot private, keeping the shared account, then reports already-compliant', async () => {
    await publicSnapshot('pub-snap');
    const options = { type: 'AWS::RDS::DBSnapshot' as const };
    expect((await runBot(bot, 'pub-snap', { ...options, dryRun: true })).status).toBe('dry-run');
    expect((await restoreOf('pub-snap')).sort()).toEqual(['444455556666', 'all']);
    expect((await runBot(bot, 'pub-snap', options)).status).toBe('remediated');
    expect(await restoreOf('pub-snap')).toEqual(['444455556666']);
    expect((await runBot(bot, 'pub-snap', options)).status).toBe('already-compliant');
  });

  it('makes a public DB cluster snapshot private', async () => {
    const rds = await admin();
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'pub-cluster',
        Engine: 'aurora-postgresql',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-real-password',
      }),
    );
    await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'pub-cluster', DBClusterSnapshotIdentifier: 'pub-cluster-snap' }),
    );
    await rds.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: 'pub-cluster-snap',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );
    const result = await runBot(bot, 'pub-cluster-snap', { type: 'AWS::RDS::DBClusterSnapshot' });
    expect(result.status).toBe('remediated');
    const { DBClusterSnapshotAttributesResult } = await rds.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'pub-cluster-snap' }),
    );
    expect(
      DBClusterSnapshotAttributesResult!.DBClusterSnapshotAttributes!.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [],
    ).toEqual([]);
  });

  it('undo makes the snapshot public again', async () => {
    await publicSnapshot('undo-snap');
    const outcome = await remediateJournalled(bot, 'undo-snap', {}, 'AWS::RDS::DBSnapshot');
    expect(outcome.result?.status).toBe('remediated');
    const { code, printed } = await undoThroughCli(outcome.resultId!);
    expect(printed).toContain('restored: rds:ModifyDBSnapshotAttribute on arn:aws:rds:us-east-1:222222222222:snapshot:undo-snap');
    expect(code).toBe(0);
    expect(await restoreOf('undo-snap')).toContain('all');
  });
});
