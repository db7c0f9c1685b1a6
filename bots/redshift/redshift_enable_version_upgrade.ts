import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { clusterArn, clusterIdentifier, clusterSettingUndo, clusterSettingUndoer, modifyClusterPermission, readCluster } from './cluster';
import { sdk } from '../sdk';

const NAME = 'redshift_enable_version_upgrade';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on automatic major version upgrades of a Redshift cluster',
    description:
      'Reads the cluster and, when AllowVersionUpgrade is off, calls ModifyCluster with AllowVersionUpgrade=true: Redshift then ' +
      'applies new major engine versions in the maintenance window. Nothing is upgraded now; the maintenance window, track ' +
      'and every other setting are left as they are. Undo turns automatic major version upgrades off again.',
    resourceTypes: ['AWS::Redshift::Cluster'],
    remediates: { securityHub: ['Redshift.6'], config: ['redshift-cluster-maintenancesettings-check'] },
    params: z.strictObject({}),
    permissions: [modifyClusterPermission('read whether automatic major version upgrades are on and turn them on')],
    undo: {
      'version-upgrade': clusterSettingUndo('turns automatic major version upgrades off again (ModifyCluster AllowVersionUpgrade=false)'),
    },
  },
  undoers: { 'version-upgrade': clusterSettingUndoer('AllowVersionUpgrade', NAME) },
  async run(ctx) {
    const { RedshiftClient, ModifyClusterCommand } = await sdk.redshift();
    const redshift = ctx.client(RedshiftClient);
    const identifier = clusterIdentifier(ctx.finding.resource.id, ctx, NAME);
    const cluster = await readCluster(redshift, identifier, NAME);
    const changes = new ChangeSet(ctx);
    if (cluster.AllowVersionUpgrade !== true) {
      await changes.apply(
        {
          action: 'redshift:ModifyCluster',
          target: clusterArn(ctx, identifier),
          description: 'automatic major version upgrades off -> on (applied in the maintenance window)',
          undo: { kind: 'version-upgrade', before: { AllowVersionUpgrade: false }, after: { AllowVersionUpgrade: true } },
        },
        () => redshift.send(new ModifyClusterCommand({ ClusterIdentifier: identifier, AllowVersionUpgrade: true })),
      );
    }
    return changes.result(
      `turned on automatic major version upgrades of Redshift cluster ${identifier}`,
      `automatic major version upgrades already on for ${identifier}`,
    );
  },
});
