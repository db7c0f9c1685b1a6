/**
 * What every Redshift bot shares: the cluster identifier from the finding
 * (an identifier, or a cluster ARN as Security Hub gives it), reading the
 * cluster, its ARN (DescribeClusters returns none), and the permission on it.
 */
import type { Cluster, RedshiftClient } from '@aws-sdk/client-redshift';
import type { BotContext, Permission, Undoer, UndoKind } from '../types';
import { sdk } from '../sdk';

export const CLUSTER_RESOURCE = 'arn:{partition}:redshift:{region}:{account}:cluster:{resourceId}';

/** `arn:aws:redshift:eu-west-1:111122223333:cluster:analytics` -> region and identifier. */
const CLUSTER_ARN = /^arn:[\w-]+:redshift:([\w-]+):\d{12}:cluster:(.+)$/;

/**
 * The identifier ModifyCluster takes. A cluster ARN in another region than the
 * finding's would make the bot act in the wrong place, so it is rejected, as is
 * an ARN of anything but a cluster.
 */
export function clusterIdentifier(resourceId: string, ctx: Pick<BotContext, 'region'>, bot: string): string {
  if (!resourceId.startsWith('arn:')) return resourceId;
  const match = CLUSTER_ARN.exec(resourceId);
  if (!match) throw new Error(`${bot}: "${resourceId}" is not a Redshift cluster identifier or cluster ARN`);
  const [, region, identifier = ''] = match;
  if (region !== ctx.region) {
    throw new Error(`${bot}: Redshift cluster ${resourceId} is in ${region}, but the finding is for ${ctx.region}`);
  }
  return identifier;
}

export function clusterArn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, identifier: string): string {
  return `arn:${ctx.partition}:redshift:${ctx.region}:${ctx.account}:cluster:${identifier}`;
}

/** The identifier inside a change target (the cluster ARN the bot recorded). */
export function identifierOfTarget(target: string): string {
  return CLUSTER_ARN.exec(target)?.[2] ?? target;
}

export async function readCluster(redshift: RedshiftClient, identifier: string, bot: string): Promise<Cluster> {
  const { DescribeClustersCommand } = await sdk.redshift();
  const { Clusters } = await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: identifier }));
  const cluster = Clusters?.[0];
  if (!cluster) throw new Error(`${bot}: DescribeClusters returned no cluster for ${identifier}`);
  return cluster;
}

/** Read the cluster and change its settings: the one permission the ModifyCluster bots need. */
export function modifyClusterPermission(reason: string): Permission {
  return { actions: ['redshift:DescribeClusters', 'redshift:ModifyCluster'], resources: [CLUSTER_RESOURCE], reason };
}

/** The cluster settings the ModifyCluster bots change, each one undone by writing it back. */
export type ClusterSetting = 'PubliclyAccessible' | 'AllowVersionUpgrade' | 'AutomatedSnapshotRetentionPeriod';

/** The setting as undo records and compares it: `{ PubliclyAccessible: true }`. */
function settingOf(cluster: Cluster, setting: ClusterSetting): Record<string, boolean | number | undefined> {
  return { [setting]: cluster[setting] };
}

/** Reads and writes back one cluster setting, for `cloudmend undo`. */
export function clusterSettingUndoer(setting: ClusterSetting, bot: string): Undoer {
  return {
    async read(ctx) {
      const { RedshiftClient } = await sdk.redshift();
      return settingOf(await readCluster(ctx.client(RedshiftClient), identifierOfTarget(ctx.target), bot), setting);
    },
    async write(ctx, state) {
      const { RedshiftClient, ModifyClusterCommand } = await sdk.redshift();
      const value = (state as Record<string, unknown>)[setting];
      await ctx
        .client(RedshiftClient)
        .send(new ModifyClusterCommand({ ClusterIdentifier: identifierOfTarget(ctx.target), [setting]: value }));
    },
  };
}

/** The undo metadata of a setting: reversible by the same two actions the bot uses. */
export function clusterSettingUndo(how: string): UndoKind {
  return {
    reversible: true,
    how,
    permissions: [modifyClusterPermission('undo: read the cluster setting and write its recorded value back')],
  };
}
