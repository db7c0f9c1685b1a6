import { z } from 'zod';
import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { rdsArn, rdsIdentifier } from './db';

const BOT_NAME = 'rds_cluster_enable_copy_tags_to_snapshot';
const CLUSTER_ARN = 'arn:{partition}:rds:{region}:{account}:cluster:{resourceId}';

async function describeCluster(rds: RDSClient, identifier: string): Promise<DBCluster> {
  const { DescribeDBClustersCommand } = await import('@aws-sdk/client-rds');
  const { DBClusters = [] } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
  const cluster = DBClusters.find((c) => c.DBClusterIdentifier === identifier) ?? DBClusters[0];
  if (!cluster) throw new Error(`DescribeDBClusters returned no cluster for ${identifier}`);
  return cluster;
}

/** `arn:aws:rds:us-east-1:111122223333:cluster:orders` -> `orders`. */
function clusterOfTarget(target: string): string {
  return /:cluster:(.+)$/.exec(target)?.[1] ?? target;
}

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: 'Make the DB cluster copy its tags to every snapshot of it',
    description:
      'Sets CopyTagsToSnapshot to true on the DB cluster (Aurora, or a Multi-AZ DB cluster), so every snapshot RDS takes of it from ' +
      "now on carries the cluster's tags: who owns the data, its classification and cost centre follow it into backups, where " +
      'tag-based access control and the exclusion tag can see them. Snapshots already taken are left as they are. RDS applies this ' +
      'at once, without an outage; the bot sends ApplyImmediately=false so that modifications pending for the maintenance window ' +
      'stay pending. Nothing else changes. Undo turns it off again.',
    resourceTypes: ['AWS::RDS::DBCluster'],
    remediates: { securityHub: ['RDS.16'], config: ['rds-cluster-copy-tags-to-snapshots-enabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
        resources: [CLUSTER_ARN],
        reason: 'read whether the DB cluster copies its tags to snapshots, and turn it on',
      },
    ],
    undo: {
      'copy-tags-to-snapshot': {
        reversible: true,
        how: 'stops the DB cluster copying its tags to new snapshots (snapshots taken meanwhile keep theirs)',
        permissions: [
          {
            actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
            resources: [CLUSTER_ARN],
            reason: 'undo: read the DB cluster and set copying tags to snapshots back',
          },
        ],
      },
    },
  },
  undoers: {
    'copy-tags-to-snapshot': {
      async read(ctx) {
        const { RDSClient } = await import('@aws-sdk/client-rds');
        const cluster = await describeCluster(ctx.client(RDSClient), clusterOfTarget(ctx.target));
        return { CopyTagsToSnapshot: cluster.CopyTagsToSnapshot ?? false };
      },
      async write(ctx, state) {
        const { RDSClient, ModifyDBClusterCommand } = await import('@aws-sdk/client-rds');
        const value = (state as { CopyTagsToSnapshot?: unknown }).CopyTagsToSnapshot;
        if (typeof value !== 'boolean') throw new Error(`undo of copying tags to snapshots: no boolean in ${JSON.stringify(state)}`);
        await ctx.client(RDSClient).send(
          new ModifyDBClusterCommand({
            DBClusterIdentifier: clusterOfTarget(ctx.target),
            CopyTagsToSnapshot: value,
            ApplyImmediately: false,
          }),
        );
      },
    },
  },
  async run(ctx) {
    const { RDSClient, ModifyDBClusterCommand } = await import('@aws-sdk/client-rds');
    const rds = ctx.client(RDSClient);
    const identifier = rdsIdentifier(BOT_NAME, 'cluster', ctx.finding.resource.id, ctx);
    const cluster = await describeCluster(rds, identifier);
    const changes = new ChangeSet(ctx);
    const compliant = `DB cluster ${identifier} already copies its tags to snapshots`;
    if (cluster.CopyTagsToSnapshot) return changes.result('', compliant);
    if (cluster.Status === 'deleting' || cluster.Status === 'stopped' || cluster.Status === 'stopping') {
      return skipped(
        `DB cluster ${identifier} is ${cluster.Status}: RDS modifies only an available cluster; tags still not copied to snapshots`,
      );
    }
    await changes.apply(
      {
        action: 'rds:ModifyDBCluster',
        target: cluster.DBClusterArn ?? rdsArn(ctx, 'cluster', identifier),
        description: 'copy tags to snapshots false -> true',
        undo: { kind: 'copy-tags-to-snapshot', before: { CopyTagsToSnapshot: false }, after: { CopyTagsToSnapshot: true } },
      },
      () => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: identifier, CopyTagsToSnapshot: true, ApplyImmediately: false })),
    );
    return changes.result(`DB cluster ${identifier} now copies its tags to snapshots`, compliant);
  },
});
