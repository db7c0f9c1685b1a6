/**
 * The RDS bots that turn on one boolean of a DB cluster (deletion protection,
 * copying tags to snapshots): read the cluster, set the flag when it is off,
 * record the undo, and report. RDS applies both at once without an outage, so
 * every write sends ApplyImmediately=false and leaves modifications pending
 * for the maintenance window pending.
 */
import { z } from 'zod';
import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type Bot, type RemediatesMeta } from '../types';
import { rdsArn, rdsIdentifier } from './db';
import { sdk } from '../sdk';

const CLUSTER_ARN = 'arn:{partition}:rds:{region}:{account}:cluster:{resourceId}';

export type ClusterFlag = 'DeletionProtection' | 'CopyTagsToSnapshot';

export interface ClusterFlagBot {
  name: string;
  summary: string;
  description: string;
  remediates: RemediatesMeta;
  flag: ClusterFlag;
  /** The `Change.undo.kind` of the change. */
  undoKind: string;
  /** Words for the setting in change descriptions and permission reasons (`deletion protection`). */
  what: string;
  /** How undo is described in the plan an operator approves. */
  undoHow: string;
  /** The result messages: done, already compliant, and what stays off when the cluster cannot be modified. */
  done: (cluster: string) => string;
  compliant: (cluster: string) => string;
  leftOff: string;
}

async function describeCluster(rds: RDSClient, identifier: string): Promise<DBCluster> {
  const { DescribeDBClustersCommand } = await sdk.rds();
  const { DBClusters = [] } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
  const cluster = DBClusters.find((c) => c.DBClusterIdentifier === identifier) ?? DBClusters[0];
  if (!cluster) throw new Error(`DescribeDBClusters returned no cluster for ${identifier}`);
  return cluster;
}

/** `arn:aws:rds:us-east-1:111122223333:cluster:orders` -> `orders`. */
function clusterOfTarget(target: string): string {
  return /:cluster:(.+)$/.exec(target)?.[1] ?? target;
}

export function defineClusterFlagBot(spec: ClusterFlagBot): Bot {
  const { flag, undoKind, what } = spec;
  return defineBot({
    meta: {
      name: spec.name,
      summary: spec.summary,
      description: spec.description,
      resourceTypes: ['AWS::RDS::DBCluster'],
      remediates: spec.remediates,
      params: z.strictObject({}),
      permissions: [
        {
          actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
          resources: [CLUSTER_ARN],
          reason: `read the ${what} of the DB cluster and turn it on`,
        },
      ],
      undo: {
        [undoKind]: {
          reversible: true,
          how: spec.undoHow,
          permissions: [
            {
              actions: ['rds:DescribeDBClusters', 'rds:ModifyDBCluster'],
              resources: [CLUSTER_ARN],
              reason: `undo: read the DB cluster and restore its ${what}`,
            },
          ],
        },
      },
    },
    undoers: {
      [undoKind]: {
        async read(ctx) {
          const { RDSClient } = await sdk.rds();
          const cluster = await describeCluster(ctx.client(RDSClient), clusterOfTarget(ctx.target));
          return { [flag]: cluster[flag] ?? false };
        },
        async write(ctx, state) {
          const { RDSClient, ModifyDBClusterCommand } = await sdk.rds();
          const value = (state as Partial<Record<ClusterFlag, unknown>>)[flag];
          if (typeof value !== 'boolean') throw new Error(`undo of ${what}: no boolean in ${JSON.stringify(state)}`);
          await ctx
            .client(RDSClient)
            .send(new ModifyDBClusterCommand({ DBClusterIdentifier: clusterOfTarget(ctx.target), [flag]: value, ApplyImmediately: false }));
        },
      },
    },
    async run(ctx) {
      const { RDSClient, ModifyDBClusterCommand } = await sdk.rds();
      const rds = ctx.client(RDSClient);
      const identifier = rdsIdentifier(spec.name, 'cluster', ctx.finding.resource.id, ctx);
      const cluster = await describeCluster(rds, identifier);
      const changes = new ChangeSet(ctx);
      const compliant = spec.compliant(identifier);
      if (cluster[flag]) return changes.result('', compliant);
      if (cluster.Status === 'deleting' || cluster.Status === 'stopped' || cluster.Status === 'stopping') {
        return skipped(`DB cluster ${identifier} is ${cluster.Status}: RDS modifies only an available cluster; ${spec.leftOff}`);
      }
      await changes.apply(
        {
          action: 'rds:ModifyDBCluster',
          target: cluster.DBClusterArn ?? rdsArn(ctx, 'cluster', identifier),
          description: `${what} false -> true`,
          undo: { kind: undoKind, before: { [flag]: false }, after: { [flag]: true } },
        },
        () => rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: identifier, [flag]: true, ApplyImmediately: false })),
      );
      return changes.result(spec.done(identifier), compliant);
    },
  });
}
