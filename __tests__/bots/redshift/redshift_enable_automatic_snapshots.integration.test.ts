import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/redshift/redshift_enable_automatic_snapshots';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { memberRedshift, readCluster, seedCluster } from './moto-cluster';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

describeMoto('redshift_enable_automatic_snapshots against moto', () => {
  const resource = { type: 'AWS::Redshift::Cluster', id: 'no-backups' };

  it('turns automated snapshots on for 14 days under its session policy, then reports already-compliant', async () => {
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'no-backups', { AutomatedSnapshotRetentionPeriod: 0 });
    const session = await memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'no-backups' }),
    );

    const first = await bot.run(botContext(bot, { resource, client: session.client, params: { days: '14' } }));
    expect(first.status).toBe('remediated');
    expect((await readCluster(redshift, 'no-backups')).AutomatedSnapshotRetentionPeriod).toBe(14);
    expect((await bot.run(botContext(bot, { resource, client: session.client, params: { days: '14' } }))).status).toBe('already-compliant');
  });

  it('undo sets the retention back to what it was', async () => {
    await prepareUndoState();
    const redshift = await memberRedshift();
    await seedCluster(redshift, 'no-backups', { AutomatedSnapshotRetentionPeriod: 1 });

    const outcome = await remediate(bot, 'AWS::Redshift::Cluster', 'no-backups');
    expect((await readCluster(redshift, 'no-backups')).AutomatedSnapshotRetentionPeriod).toBe(7);
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect((await readCluster(redshift, 'no-backups')).AutomatedSnapshotRetentionPeriod).toBe(1);
  });
});
