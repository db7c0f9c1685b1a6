import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { clusterArn, clusterIdentifier, clusterSettingUndo, clusterSettingUndoer, modifyClusterPermission, readCluster } from './cluster';
import { sdk } from '../sdk';

const NAME = 'redshift_disable_public_access';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Make a Redshift cluster not publicly accessible',
    description:
      'Reads the cluster and, when it is publicly accessible (and no change to private is already pending), calls ModifyCluster ' +
      'with PubliclyAccessible=false: its endpoint then resolves to a private address only, so clients outside its VPC (and ' +
      'peered or connected networks) lose access. An Elastic IP the cluster used is released by Redshift. Security groups, ' +
      'subnets, users and data are not changed. Undo makes the cluster publicly accessible again.',
    resourceTypes: ['AWS::Redshift::Cluster'],
    remediates: { securityHub: ['Redshift.1', 'PCI.Redshift.1'], config: ['redshift-cluster-public-access-check'] },
    params: z.strictObject({}),
    permissions: [modifyClusterPermission('read whether the cluster is publicly accessible and turn public access off')],
    undo: { 'public-access': clusterSettingUndo('makes the cluster publicly accessible again (ModifyCluster PubliclyAccessible=true)') },
  },
  undoers: { 'public-access': clusterSettingUndoer('PubliclyAccessible', NAME) },
  async run(ctx) {
    const { RedshiftClient, ModifyClusterCommand } = await sdk.redshift();
    const redshift = ctx.client(RedshiftClient);
    const identifier = clusterIdentifier(ctx.finding.resource.id, ctx, NAME);
    const cluster = await readCluster(redshift, identifier, NAME);
    const pending = cluster.PendingModifiedValues?.PubliclyAccessible;
    const changes = new ChangeSet(ctx);
    if (cluster.PubliclyAccessible === true && pending !== false) {
      await changes.apply(
        {
          action: 'redshift:ModifyCluster',
          target: clusterArn(ctx, identifier),
          description: 'publicly accessible true -> false',
          undo: { kind: 'public-access', before: { PubliclyAccessible: true }, after: { PubliclyAccessible: false } },
        },
        () => redshift.send(new ModifyClusterCommand({ ClusterIdentifier: identifier, PubliclyAccessible: false })),
      );
    }
    const compliant =
      cluster.PubliclyAccessible === true
        ? `turning off public access of ${identifier} is already pending`
        : `${identifier} is not publicly accessible`;
    return changes.result(`turned off public access of Redshift cluster ${identifier}`, compliant);
  },
});
