/**
 * AssumeRole refuses a session policy over 2,048 characters. A narrowed session
 * names the ids a bot read, so it grows with the instance: each bot names them
 * a batch at a time, and the largest batch must fit.
 */
import { getBot } from '../../bots';
import { VOLUMES_PER_SESSION } from '../../bots/ec2/ec2_create_snapshot';
import { INTERFACES_PER_SESSION } from '../../bots/ec2/ec2_quarantine_instance';
import { ADDRESSES_PER_SESSION } from '../../bots/ec2/ec2_release_eips';
import { sessionPolicyFor } from '../../bots/permissions';
import { encryptedInstanceName } from '../../bots/rds/rds_enable_encryption';
import { snapshotName } from '../../bots/rds/snapshots';
import { MAX_SESSION_POLICY_CHARS } from '../../handler/credentials';

const scope = { partition: 'aws-us-gov', account: '222222222222', region: 'us-gov-west-1', resourceId: 'i-0123456789abcdef0' };
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-0${String(i).padStart(16, '0')}`);

describe('narrowed session policies stay within AssumeRole’s limit', () => {
  it.each([
    // Interfaces come INTERFACES_PER_SESSION at a time; each VPC of the instance has its own quarantine group.
    ['ec2_quarantine_instance', { vpcId: ids('vpc', 4) }],
    ['ec2_quarantine_instance', { securityGroupId: ids('sg', 3), networkInterfaceId: ids('eni', INTERFACES_PER_SESSION) }],
    ['ec2_create_snapshot', { volumeId: ids('vol', VOLUMES_PER_SESSION) }],
    ['ec2_release_eips', { allocationId: ids('eipalloc', ADDRESSES_PER_SESSION), networkInterfaceId: ids('eni', ADDRESSES_PER_SESSION) }],
  ])('%s with %j', (name, derived) => {
    const length = JSON.stringify(sessionPolicyFor(getBot(name)!.meta, { ...scope, derived })).length;
    expect(length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });
});

describe('the RDS encryption bots’ sessions, with the longest identifiers, stay within AssumeRole’s limit', () => {
  // A 63-character DB instance identifier (RDS's maximum), a 170-character snapshot identifier (of RDS's 255: the
  // longest that fits is 179 in aws-us-gov, 195 in aws, for a cluster snapshot), a multi-Region key id.
  const db = `a${'b'.repeat(62)}`;
  const snap = `a${'b'.repeat(169)}`;
  const key = 'mrk-0123456789abcdef0123456789abcdef';
  const [plain, encrypted] = [snapshotName(db, 'unencrypted'), snapshotName(db, 'encrypted')];
  it.each([
    [
      'rds_enable_encryption',
      'the plan (reads, step 1), 63-character instance',
      db,
      { dbSnapshotId: [plain, encrypted], dbInstanceId: [encryptedInstanceName(db)] },
    ],
    ['rds_enable_encryption', 'step 2, the copy', db, { dbSnapshotId: [plain, encrypted], kmsKeyId: [key] }],
    [
      'rds_enable_encryption',
      'step 3, the restore',
      db,
      { dbSnapshotId: [encrypted], dbInstanceId: [encryptedInstanceName(db)], kmsKeyId: [key] },
    ],
    ['rds_snapshot_encrypt', 'a DB snapshot copy', snap, { dbSnapshotId: [snapshotName(snap, 'encrypted')], kmsKeyId: [key] }],
    [
      'rds_snapshot_encrypt',
      'a DB cluster snapshot copy',
      snap,
      { dbClusterSnapshotId: [snapshotName(snap, 'encrypted')], kmsKeyId: [key] },
    ],
  ])('%s: %s', (name, _what, resourceId, derived) => {
    const length = JSON.stringify(sessionPolicyFor(getBot(name)!.meta, { ...scope, resourceId, derived })).length;
    expect(length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });
});
