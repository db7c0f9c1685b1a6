import { CreateDBClusterCommand, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_cluster_enable_copy_tags_to_snapshot';
import { describeMoto } from '../../support/moto';
import { admin, remediateJournalled, runBot, undoResult } from './rds-moto.fixtures';

async function seedCluster(id: string) {
  await (await admin()).send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      MasterUsername: 'admin_user',
      MasterUserPassword: 'not-a-real-password',
      CopyTagsToSnapshot: false,
    }),
  );
}

const copiesTags = async (id: string) =>
  (await (await admin()).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!.CopyTagsToSnapshot;

describeMoto('rds_cluster_enable_copy_tags_to_snapshot against moto', () => {
  it('turns copying tags to snapshots on, reads back, then reports already-compliant', async () => {
    await seedCluster('tags-cluster');
    const options = { type: 'AWS::RDS::DBCluster' as const };
    expect((await runBot(bot, 'tags-cluster', { ...options, dryRun: true })).status).toBe('dry-run');
    expect(await copiesTags('tags-cluster')).toBe(false);
    const first = await runBot(bot, 'tags-cluster', options);
    expect(first.status).toBe('remediated');
    expect(await copiesTags('tags-cluster')).toBe(true);
    expect((await runBot(bot, 'tags-cluster', options)).status).toBe('already-compliant');
  });

  it('undo turns it off again', async () => {
    await seedCluster('tags-undo-cluster');
    const outcome = await remediateJournalled(bot, 'tags-undo-cluster', {}, 'AWS::RDS::DBCluster');
    expect(outcome.result?.status).toBe('remediated');
    const { code, printed } = await undoResult(outcome.resultId!);
    expect(printed).toContain('restored: rds:ModifyDBCluster on arn:aws:rds:us-east-1:222222222222:cluster:tags-undo-cluster');
    expect(code).toBe(0);
    expect(await copiesTags('tags-undo-cluster')).toBe(false);
  });
});
