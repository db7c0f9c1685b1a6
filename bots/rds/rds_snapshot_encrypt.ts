import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { rdsArn, rdsIdentifier } from './db';
import { KMS_KEY_PARAM, KMS_KEY_PARAM_DESCRIPTION, RDS_KEY_PERMISSIONS, resolveRdsKey } from './kms-key';
import { CLUSTER_SNAPSHOT_ARN, SNAPSHOT_ARN, describeClusterSnapshot, describeSnapshot, snapshotName } from './snapshots';
import { sdk } from '../sdk';

const BOT_NAME = 'rds_snapshot_encrypt';
const CREATED_BY = 'cloudmend:created-by';

const params = z.strictObject({
  kms_key: KMS_KEY_PARAM.describe(KMS_KEY_PARAM_DESCRIPTION),
});

interface SnapshotView {
  encrypted: boolean;
  status: string;
  progress?: number | undefined;
}

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: 'Make an encrypted copy of an unencrypted DB snapshot or DB cluster snapshot; the original is kept',
    description:
      'A snapshot cannot be encrypted in place: the bot copies the unencrypted manual DB snapshot (or DB cluster snapshot) to ' +
      '<name>-cloudmend-encrypted, encrypted with `kms_key` (default the AWS managed key aws/rds), tagged cloudmend:created-by, ' +
      "and private (the original's sharing is not copied). The key is resolved first (an alias through ListAliases) and must be " +
      "an enabled symmetric key of the finding's account and Region; RDS is handed its key ARN through a session naming only " +
      'that key. aws/rds before its first use has no key yet: the run is skipped with what to do. ' +
      'The original is never changed or deleted: the result names both, ' +
      'and the finding stays open until an operator, having checked the copy, deletes the original. A snapshot still being ' +
      'created, or a copy already made, is reported without a new write.',
    resourceTypes: ['AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'],
    remediates: { securityHub: ['RDS.4'], config: ['rds-snapshot-encrypted'] },
    params,
    sensitiveParams: { kms_key: 'key' },
    permissions: [
      {
        actions: ['rds:DescribeDBSnapshots'],
        resources: ['arn:{partition}:rds:{region}:{account}:snapshot:{resourceId}'],
        reason: 'read whether the DB snapshot is encrypted and available',
      },
      {
        actions: ['rds:CopyDBSnapshot'],
        resources: ['arn:{partition}:rds:{region}:{account}:snapshot:{resourceId}', SNAPSHOT_ARN],
        reason: 'copy the DB snapshot to its encrypted copy (the bot names it before the copy)',
      },
      {
        actions: ['rds:DescribeDBSnapshots', 'rds:AddTagsToResource'],
        resources: [SNAPSHOT_ARN],
        reason: 'find the encrypted copy, and tag it cloudmend:created-by as it is created',
      },
      {
        actions: ['rds:DescribeDBClusterSnapshots'],
        resources: ['arn:{partition}:rds:{region}:{account}:cluster-snapshot:{resourceId}'],
        reason: 'read whether the DB cluster snapshot is encrypted and available',
      },
      {
        actions: ['rds:CopyDBClusterSnapshot'],
        resources: ['arn:{partition}:rds:{region}:{account}:cluster-snapshot:{resourceId}', CLUSTER_SNAPSHOT_ARN],
        reason: 'copy the DB cluster snapshot to its encrypted copy (the bot names it before the copy)',
      },
      {
        actions: ['rds:DescribeDBClusterSnapshots', 'rds:AddTagsToResource'],
        resources: [CLUSTER_SNAPSHOT_ARN],
        reason: 'find the encrypted cluster snapshot copy, and tag it cloudmend:created-by as it is created',
      },
      ...RDS_KEY_PERMISSIONS,
    ],
    undo: {
      'encrypted-copy': {
        reversible: false,
        why:
          'the encrypted copy is what the remediation produced, and the original snapshot was never touched: there is ' +
          'nothing to put back, and deleting the copy (a snapshot of customer data) is left to the operator',
      },
    },
  },
  async run(ctx) {
    const { RDSClient, CopyDBSnapshotCommand, CopyDBClusterSnapshotCommand } = await sdk.rds();
    const cluster = ctx.finding.resource.type === 'AWS::RDS::DBClusterSnapshot';
    const kind = cluster ? 'cluster-snapshot' : 'snapshot';
    const what = cluster ? 'DB cluster snapshot' : 'DB snapshot';
    const identifier = rdsIdentifier(BOT_NAME, kind, ctx.finding.resource.id, ctx);
    const { kms_key: kmsKey } = ctx.params;
    const rds = ctx.client(RDSClient);
    const read = async (client: typeof rds, name: string): Promise<SnapshotView | undefined> => {
      if (cluster) {
        const s = await describeClusterSnapshot(client, name);
        return s && { encrypted: s.StorageEncrypted ?? false, status: s.Status ?? 'unknown', progress: s.PercentProgress };
      }
      const s = await describeSnapshot(client, name);
      return s && { encrypted: s.Encrypted ?? false, status: s.Status ?? 'unknown', progress: s.PercentProgress };
    };

    const source = await read(rds, identifier);
    if (!source) throw new Error(`${what} ${identifier} not found`);
    if (source.encrypted) return { status: 'already-compliant', message: `${what} ${identifier} is encrypted`, changes: [] };

    const copyName = snapshotName(identifier, 'encrypted');
    // Sessions name the copy as what it is (a DB or a DB cluster snapshot), nothing of the other kind.
    const copyIds = cluster ? { dbClusterSnapshotId: [copyName] } : { dbSnapshotId: [copyName] };
    const named = (await ctx.narrowTo(copyIds))(RDSClient);
    const existing = await read(named, copyName);
    const keep = `the original ${identifier} is kept (unencrypted): delete it once the copy is checked, to close the finding`;
    if (existing && !existing.encrypted) {
      throw new Error(`${copyName} exists but is not encrypted: it is not the copy this bot makes; rename it`);
    }
    if (existing) {
      const state =
        existing.status === 'available'
          ? 'is ready'
          : `is ${existing.status}${existing.progress !== undefined ? ` (${existing.progress}%)` : ''}`;
      return skipped(`encrypted copy ${copyName} of ${what} ${identifier} ${state}; ${keep}`);
    }
    if (source.status !== 'available') {
      return skipped(`${what} ${identifier} is ${source.status}: RDS copies only an available snapshot; run again once it is`);
    }
    // The key is resolved and read only now, through a session naming the copy and that key: RDS may use no other.
    const resolved = await resolveRdsKey(ctx, kmsKey, copyIds);
    if ('notYet' in resolved) return skipped(resolved.notYet);
    const { key, clients } = resolved;
    const writer = clients(RDSClient);
    const changes = new ChangeSet(ctx);
    const tags = [{ Key: CREATED_BY, Value: BOT_NAME }];
    const keyWords = key.arn === kmsKey ? key.arn : `${kmsKey} (${key.arn})`;
    await changes.apply(
      {
        action: cluster ? 'rds:CopyDBClusterSnapshot' : 'rds:CopyDBSnapshot',
        target: rdsArn(ctx, kind, copyName),
        description: `encrypted copy ${copyName} of ${what} ${identifier} with KMS key ${keyWords}; ${identifier} kept`,
        undo: { kind: 'encrypted-copy', before: null, after: null },
      },
      () =>
        cluster
          ? writer.send(
              new CopyDBClusterSnapshotCommand({
                SourceDBClusterSnapshotIdentifier: identifier,
                TargetDBClusterSnapshotIdentifier: copyName,
                KmsKeyId: key.arn,
                CopyTags: false,
                Tags: tags,
              }),
            )
          : writer.send(
              new CopyDBSnapshotCommand({
                SourceDBSnapshotIdentifier: identifier,
                TargetDBSnapshotIdentifier: copyName,
                KmsKeyId: key.arn,
                CopyTags: false,
                Tags: tags,
              }),
            ),
    );
    return changes.result(`started encrypted copy ${copyName} of ${what} ${identifier} with ${keyWords}; ${keep}`);
  },
});
