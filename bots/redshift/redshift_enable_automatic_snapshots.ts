import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { clusterArn, clusterIdentifier, clusterSettingUndo, clusterSettingUndoer, modifyClusterPermission, readCluster } from './cluster';
import { sdk } from '../sdk';

const NAME = 'redshift_enable_automatic_snapshots';
const DEFAULT_DAYS = 7;

const params = z.strictObject({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(35)
    .default(DEFAULT_DAYS)
    .describe(
      'Minimum automated snapshot retention in days (1-35, the range Redshift allows; Security Hub Redshift.3 asks for 7). A longer existing retention is kept.',
    ),
});

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Set the automated snapshot retention of a Redshift cluster to at least N days (default 7)',
    description:
      'Reads the cluster and, when its automated snapshot retention period (or a retention change already pending) is shorter ' +
      'than `days` (0 means automated snapshots are off), calls ModifyCluster with AutomatedSnapshotRetentionPeriod = `days`. ' +
      'A longer retention is never lowered; manual snapshot retention, the snapshot schedule and every other setting are left ' +
      'as they are. Longer retention keeps more snapshot storage (billed beyond the free backup storage). Undo sets the ' +
      'retention back to what it was (which deletes automated snapshots older than that, as Redshift does).',
    resourceTypes: ['AWS::Redshift::Cluster'],
    remediates: { securityHub: ['Redshift.3'], config: ['redshift-backup-enabled'] },
    params,
    positional: ['days'],
    overridable: ['days'],
    permissions: [modifyClusterPermission('read the automated snapshot retention of the cluster and raise it')],
    undo: {
      'snapshot-retention': clusterSettingUndo(
        'sets the automated snapshot retention back to the recorded number of days (ModifyCluster AutomatedSnapshotRetentionPeriod)',
      ),
    },
  },
  undoers: { 'snapshot-retention': clusterSettingUndoer('AutomatedSnapshotRetentionPeriod', NAME) },
  async run(ctx) {
    const { RedshiftClient, ModifyClusterCommand } = await sdk.redshift();
    const redshift = ctx.client(RedshiftClient);
    const identifier = clusterIdentifier(ctx.finding.resource.id, ctx, NAME);
    const { days } = ctx.params;
    const cluster = await readCluster(redshift, identifier, NAME);
    const current = cluster.AutomatedSnapshotRetentionPeriod ?? 0;
    const pending = cluster.PendingModifiedValues?.AutomatedSnapshotRetentionPeriod;
    const changes = new ChangeSet(ctx);
    if (current < days && (pending === undefined || pending < days)) {
      await changes.apply(
        {
          action: 'redshift:ModifyCluster',
          target: clusterArn(ctx, identifier),
          description: `automated snapshot retention ${current} -> ${days} days${current === 0 ? ' (automated snapshots were off)' : ''}`,
          undo: {
            kind: 'snapshot-retention',
            before: { AutomatedSnapshotRetentionPeriod: current },
            after: { AutomatedSnapshotRetentionPeriod: days },
          },
        },
        () => redshift.send(new ModifyClusterCommand({ ClusterIdentifier: identifier, AutomatedSnapshotRetentionPeriod: days })),
      );
    }
    const compliant =
      current < days
        ? `automated snapshot retention change of ${identifier} to ${pending} days is already pending (currently ${current})`
        : `automated snapshot retention of ${identifier} is ${current} days, at least ${days}`;
    return changes.result(`set automated snapshot retention of Redshift cluster ${identifier} to ${days} days (was ${current})`, compliant);
  },
});
