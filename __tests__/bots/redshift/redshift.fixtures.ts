/** The cluster the Redshift bot tests remediate, as DescribeClusters returns it. */
export const CLUSTER_ID = 'analytics';
export const CLUSTER_ARN = 'arn:aws:redshift:us-east-1:222222222222:cluster:analytics';
export const cluster = { type: 'AWS::Redshift::Cluster', id: CLUSTER_ID };

export function described(overrides: Record<string, unknown> = {}) {
  return {
    Clusters: [
      {
        ClusterIdentifier: CLUSTER_ID,
        ClusterStatus: 'available',
        PubliclyAccessible: false,
        AllowVersionUpgrade: true,
        AutomatedSnapshotRetentionPeriod: 7,
        PendingModifiedValues: {},
        ...overrides,
      },
    ],
  };
}
