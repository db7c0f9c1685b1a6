/** The DB cluster flag bots against moto: each turns its flag on, reads back, and undo turns it off again. */
import { CreateDBClusterCommand, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import copyTagsToSnapshot from '../../../bots/rds/rds_cluster_enable_copy_tags_to_snapshot';
import deletionProtection from '../../../bots/rds/rds_cluster_enable_deletion_protection';
import { describeMoto } from '../../support/moto';
import { admin, remediateJournalled, runBot } from './rds-moto.fixtures';
import { undoThroughCli } from '../../support/undo-through-session';

const FLAGS = [
  {
    bot: deletionProtection,
    attribute: 'DeletionProtection',
    turnsOn: 'turns deletion protection on',
    cluster: 'prot-cluster',
    undoCluster: 'undo-cluster',
  },
  {
    bot: copyTagsToSnapshot,
    attribute: 'CopyTagsToSnapshot',
    turnsOn: 'turns copying tags to snapshots on',
    cluster: 'tags-cluster',
    undoCluster: 'tags-undo-cluster',
  },
] as const;

describeMoto('the DB cluster flag bots against moto', () => {
  describe.each(FLAGS)('$bot.meta.name', ({ bot, attribute, turnsOn, cluster, undoCluster }) => {
    async function seedCluster(id: string) {
      await (await admin()).send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: id,
          Engine: 'aurora-postgresql',
          MasterUsername: 'admin_user',
          MasterUserPassword: 'not-a-real-password',
          [attribute]: false,
        }),
      );
    }
    const flag = async (id: string) =>
      (await (await admin()).send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]![attribute];

    it(`${turnsOn}, reads back, then reports already-compliant`, async () => {
      await seedCluster(cluster);
      const options = { type: 'AWS::RDS::DBCluster' as const };
      expect((await runBot(bot, cluster, { ...options, dryRun: true })).status).toBe('dry-run');
      expect(await flag(cluster)).toBe(false);
      const first = await runBot(bot, cluster, options);
      expect(first.status).toBe('remediated');
      expect(await flag(cluster)).toBe(true);
      expect((await runBot(bot, cluster, options)).status).toBe('already-compliant');
    });

    it('undo turns it off again', async () => {
      await seedCluster(undoCluster);
      const outcome = await remediateJournalled(bot, undoCluster, {}, 'AWS::RDS::DBCluster');
      expect(outcome.result?.status).toBe('remediated');
      const { code, printed } = await undoThroughCli(outcome.resultId!);
      expect(printed).toContain(`restored: rds:ModifyDBCluster on arn:aws:rds:us-east-1:222222222222:cluster:${undoCluster}`);
      expect(code).toBe(0);
      expect(await flag(undoCluster)).toBe(false);
    });
  });
});
