import { z } from 'zod';
import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { rdsArn, rdsIdentifier } from './db';

const BOT_NAME = 'rds_cluster_enable_deletion_protection';
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
    summary: 'Turn on deletion protection of the DB cluster',
    description:
      'Sets DeletionProtection to true on the DB cluster (Aurora, or a Multi-AZ DB cluster), so neither the cluster nor, with it, ' +
      'its data can be deleted until someone turns it off again. RDS applies this at once, without an outage, whatever ' +
      'ApplyImmediately says; the bot sends ApplyImmediately=false so that modifications pending for the maintenance window ' +
      'stay pending. Nothing else changes. Undo turns it off again.',
    resourceTypes: ['AWS::RDS::DBCluster'],
    remediates: { securityHub: ['RDS.7'], config: ['rds-cluster-deletion-protection-enabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
        resources: [CLUSTER_ARN],
        reason: 'read the deletion protection of the DB cluster and turn it on',
      },
    ],
    undo: {
      'deletion-protection': {
        reversible: true,
        how: 'turns deletion protection of the DB cluster off again',
        permissions: [
          {
            actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
            resources: [CLUSTER_ARN],
            reason: 'undo: read the DB cluster and restore its deletion protection',
          },
        ],
      },
    },
  },
  undoers: {
    'deletion-protection': {
      async read(ctx) {
        const { RDSClient } = await import('@aws-sdk/client-rds');
        const cluster = await describeCluster(ctx.client(RDSClient), clusterOfTarget(ctx.target));
        return { DeletionProtection: cluster.DeletionProtection ?? false };
      },
      async write(ctx, state) {
        const { RDSClient, ModifyDBClusterCommand } = await import('@aws-sdk/client-rds');
        const value = (state as { DeletionProtection?: unknown }).DeletionProtection;
        if (typeof value !== 'boolean') throw new Error(`undo of deletion protection: no boolean in ${JSON.stringify(state)}`);
        await ctx.client(RDSClient).send(
          new ModifyDBClusterCommand({
            DBClusterIdentifier: clusterOfTarget(ctx.target),
            DeletionProtection: value,
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
    const compliant = `deletion protection of DB cluster ${identifier} is already on`;
    if (cluster.DeletionProtection) return changes.result('', compliant);
    if (cluster.Status === 'deleting' || cluster.Status === 'stopped' || cluster.Status === 'stopping') {
      return skipped(`DB cluster ${identifier} is ${cluster.Status}: RDS modifies only an available cluster; deletion protection left off`);
    }
    await changes.apply(
      {
        action: 'rds:ModifyDBCluster',
        target: cluster.DBClusterArn ?? rdsArn(ctx, 'cluster', identifier),
        description: 'deletion protection false -> true',
        undo: { kind: 'deletion-protection', before: { DeletionProtection: false }, after: { DeletionProtection: true } },
      },
      () => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: identifier, DeletionProtection: true, ApplyImmediately: false })),
    );
    return changes.result(`turned on deletion protection of DB cluster ${identifier}`, compliant);
  },
});
