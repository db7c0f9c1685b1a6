/**
 * What the RDS snapshot bots share: snapshot names the bots give, snapshot
 * reads that answer "none" instead of failing. The KMS key they encrypt with:
 * kms-key.ts.
 */
import type { DBClusterSnapshot, DBSnapshot, RDSClient } from '@aws-sdk/client-rds';
import { sdk } from '../sdk';

/**
 * The snapshots a bot names or reads, once it has named them (derived ids). DB cluster snapshots have a placeholder
 * of their own: a session for a DB snapshot names no cluster snapshot, and the other way round.
 */
export const SNAPSHOT_ARN = 'arn:{partition}:rds:{region}:{account}:snapshot:{dbSnapshotId}';
export const CLUSTER_SNAPSHOT_ARN = 'arn:{partition}:rds:{region}:{account}:cluster-snapshot:{dbClusterSnapshotId}';

/** Snapshot identifiers: a letter, then letters, digits and single hyphens, at most 255 characters. */
const SNAPSHOT_IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

export function isSnapshotIdentifier(name: string): boolean {
  return name.length <= 255 && SNAPSHOT_IDENTIFIER.test(name);
}

/** `orders`, `encrypted` -> `orders-cloudmend-encrypted` (RDS lowercases identifiers anyway). */
export function snapshotName(source: string, what: string): string {
  return `${source.replace(/-+$/, '')}-cloudmend-${what}`.slice(0, 255).replace(/-+$/, '');
}

function notFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'DBSnapshotNotFoundFault' || name === 'DBClusterSnapshotNotFoundFault';
}

export async function describeSnapshot(rds: RDSClient, name: string): Promise<DBSnapshot | undefined> {
  const { DescribeDBSnapshotsCommand } = await sdk.rds();
  try {
    const { DBSnapshots = [] } = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: name }));
    return DBSnapshots.find((s) => s.DBSnapshotIdentifier === name);
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

export async function describeClusterSnapshot(rds: RDSClient, name: string): Promise<DBClusterSnapshot | undefined> {
  const { DescribeDBClusterSnapshotsCommand } = await sdk.rds();
  try {
    const { DBClusterSnapshots = [] } = await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: name }));
    return DBClusterSnapshots.find((s) => s.DBClusterSnapshotIdentifier === name);
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}
