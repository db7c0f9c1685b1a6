import { CreateDBClusterCommand, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_cluster_enable_deletion_protection';
import { describeMoto } from '../../support/moto';
import { admin, remediateJournalled, runBot, undoResult } from './rds-moto.fixtures';

async function seedCluster(id: string) {
  await (await admin()).send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      MasterUsername: 'admin_user',
      MasterUserPassword: 'not-a-real-password',
      DeletionProtection: false,
    }),
  );
}

const protection = async (id: string) =>
  (await (await admin()).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!.DeletionProtection;

describeMoto('rds_cluster_enable_deletion_protection against moto', () => {
  it('turns deletion protection on, reads back, then reports already-compliant', async () => {
    await seedCluster('prot-cluster');
    const options = { type: 'AWS::RDS::DBCluster' as const };
    expect((await runBot(bot, 'prot-cluster', { ...options, dryRun: true })).status).toBe('dry-run');
    expect(await protection('prot-cluster')).toBe(false);
    const first = await runBot(bot, 'prot-cluster', options);
    expect(first.status).toBe('remediated');
    expect(await protection('prot-cluster')).toBe(true);
    expect((await runBot(bot, 'prot-cluster', options)).status).toBe('already-compliant');
  });

  it('undo turns it off again', async () => {
    await seedCluster('undo-cluster');
    const outcome = await remediateJournalled(bot, 'undo-cluster', {}, 'AWS::RDS::DBCluster');
    expect(outcome.result?.status).toBe('remediated');
    const { code, printed } = await undoResult(outcome.resultId!);
    expect(printed).toContain('restored: rds:ModifyDBCluster on arn:aws:rds:us-east-1:222222222222:cluster:undo-cluster');
    expect(code).toBe(0);
    expect(await protection('undo-cluster')).toBe(false);
  });
});
