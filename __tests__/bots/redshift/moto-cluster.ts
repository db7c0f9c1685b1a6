/** Seeds a Redshift cluster in the member account of moto, and reads it back. */
import { CreateClusterCommand, DescribeClustersCommand, ModifyClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { memberSession } from '../../support/moto';
import { MEMBER, REGION } from '../../support/undo-through-session';

export async function memberRedshift(): Promise<RedshiftClient> {
  return (await memberSession(MEMBER, REGION)).client(RedshiftClient);
}

/** A single-node cluster; settings moto only takes on modify (a retention of 0) are applied after the create. */
export async function seedCluster(
  redshift: RedshiftClient,
  identifier: string,
  settings: { PubliclyAccessible?: boolean; AllowVersionUpgrade?: boolean; AutomatedSnapshotRetentionPeriod?: number } = {},
): Promise<void> {
  await redshift.send(
    new CreateClusterCommand({
      ClusterIdentifier: identifier,
      NodeType: 'ra3.xlplus',
      ClusterType: 'single-node',
      MasterUsername: 'admin',
      MasterUserPassword: 'Not-a-real-passw0rd',
      ...(settings.PubliclyAccessible !== undefined ? { PubliclyAccessible: settings.PubliclyAccessible } : {}),
      ...(settings.AllowVersionUpgrade !== undefined ? { AllowVersionUpgrade: settings.AllowVersionUpgrade } : {}),
    }),
  );
  if (settings.AutomatedSnapshotRetentionPeriod !== undefined) {
    await redshift.send(
      new ModifyClusterCommand({
        ClusterIdentifier: identifier,
        AutomatedSnapshotRetentionPeriod: settings.AutomatedSnapshotRetentionPeriod,
      }),
    );
  }
}

export async function readCluster(redshift: RedshiftClient, identifier: string) {
  return (await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: identifier }))).Clusters![0]!;
}
