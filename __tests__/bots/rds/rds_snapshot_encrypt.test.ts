import { mockClient } from 'aws-sdk-client-mock';
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_snapshot_encrypt';
import type { DerivedIds } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { ACCOUNT } from './rds.fixtures';

const snapshot = { type: 'AWS::RDS::DBSnapshot', id: 'orders-snap' };
const clusterSnapshot = { type: 'AWS::RDS::DBClusterSnapshot', id: 'orders-cluster-snap' };
const tags = [{ Key: 'cloudmend:created-by', Value: 'rds_snapshot_encrypt' }];
const notFound = (name: string) => Object.assign(new Error('not found'), { name });

describe('rds_snapshot_encrypt', () => {
  const rds = mockClient(RDSClient);
  beforeEach(() => {
    rds.reset();
    rds.on(DescribeDBSnapshotsCommand).rejects(notFound('DBSnapshotNotFoundFault'));
    rds.on(DescribeDBClusterSnapshotsCommand).rejects(notFound('DBClusterSnapshotNotFoundFault'));
    rds.on(CopyDBSnapshotCommand).resolves({});
    rds.on(CopyDBClusterSnapshotCommand).resolves({});
  });
  afterAll(() => rds.restore());

  const dbSnapshot = (name: string, extra = {}) =>
    rds
      .on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: name })
      .resolves({ DBSnapshots: [{ DBSnapshotIdentifier: name, Status: 'available', Encrypted: false, ...extra }] });

  it('copies an unencrypted DB snapshot encrypted with aws/rds, through a session naming the copy, and keeps the original', async () => {
    dbSnapshot('orders-snap');
    const named: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: snapshot, onNarrow: (ids) => named.push(ids) }));
    expect(named).toEqual([{ dbSnapshotId: ['orders-snap-cloudmend-encrypted'] }]);
    expect(rds.commandCalls(CopyDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      {
        SourceDBSnapshotIdentifier: 'orders-snap',
        TargetDBSnapshotIdentifier: 'orders-snap-cloudmend-encrypted',
        KmsKeyId: 'alias/aws/rds',
        CopyTags: false,
        Tags: tags,
      },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message:
        'started encrypted copy orders-snap-cloudmend-encrypted of DB snapshot orders-snap with alias/aws/rds; the original orders-snap is kept (unencrypted): delete it once the copy is checked, to close the finding',
      changes: [
        {
          action: 'rds:CopyDBSnapshot',
          target: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:orders-snap-cloudmend-encrypted`,
          description:
            'encrypted copy orders-snap-cloudmend-encrypted of DB snapshot orders-snap with KMS key alias/aws/rds; orders-snap kept',
          applied: true,
          // Irreversible (meta.undo says why): the copy is the result; nothing of the original changed.
          undo: { kind: 'encrypted-copy', before: null, after: null },
        },
      ],
    });
  });

  it('copies a DB cluster snapshot through the cluster API with the given key', async () => {
    rds.on(DescribeDBClusterSnapshotsCommand, { DBClusterSnapshotIdentifier: 'orders-cluster-snap' }).resolves({
      DBClusterSnapshots: [{ DBClusterSnapshotIdentifier: 'orders-cluster-snap', Status: 'available', StorageEncrypted: false }],
    });
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const result = await bot.run(botContext(bot, { resource: clusterSnapshot, params: { kms_key: key } }));
    expect(rds.commandCalls(CopyDBClusterSnapshotCommand)[0]!.args[0].input).toEqual({
      SourceDBClusterSnapshotIdentifier: 'orders-cluster-snap',
      TargetDBClusterSnapshotIdentifier: 'orders-cluster-snap-cloudmend-encrypted',
      KmsKeyId: key,
      CopyTags: false,
      Tags: tags,
    });
    expect(result.changes[0]!.target).toBe(`arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:orders-cluster-snap-cloudmend-encrypted`);
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('reports an encrypted snapshot as already compliant', async () => {
    dbSnapshot('orders-snap', { Encrypted: true });
    expect(await bot.run(botContext(bot, { resource: snapshot }))).toEqual({
      status: 'already-compliant',
      message: 'DB snapshot orders-snap is encrypted',
      changes: [],
    });
  });

  it.each([
    ['available', 'is ready'],
    ['creating', 'is creating (30%)'],
  ])('reports a copy already %s without copying again, and keeps the original', async (status, words) => {
    dbSnapshot('orders-snap');
    dbSnapshot('orders-snap-cloudmend-encrypted', { Encrypted: true, Status: status, PercentProgress: 30 });
    const result = await bot.run(botContext(bot, { resource: snapshot }));
    expect(result.status).toBe('skipped');
    expect(result.message).toBe(
      `encrypted copy orders-snap-cloudmend-encrypted of DB snapshot orders-snap ${words}; the original orders-snap is kept (unencrypted): delete it once the copy is checked, to close the finding`,
    );
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('waits for a snapshot still being created, and fails on one that does not exist', async () => {
    dbSnapshot('orders-snap', { Status: 'creating' });
    const result = await bot.run(botContext(bot, { resource: snapshot }));
    expect(result.message).toBe('DB snapshot orders-snap is creating: RDS copies only an available snapshot; run again once it is');
    rds.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: 'orders-snap' }).rejects(notFound('DBSnapshotNotFoundFault'));
    await expect(bot.run(botContext(bot, { resource: snapshot }))).rejects.toThrow('DB snapshot orders-snap not found');
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('in dry run reads and reports the copy without making it', async () => {
    dbSnapshot('orders-snap');
    const result = await bot.run(botContext(bot, { resource: snapshot, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('takes a key only as a KMS key reference, never from a finding', () => {
    expect(bot.meta.params.parse({})).toEqual({ kms_key: 'alias/aws/rds' });
    expect(bot.meta.params.safeParse({ kms_key: 'arn:aws:s3:::bucket' }).success).toBe(false);
    expect(bot.meta.sensitiveParams).toEqual({ kms_key: 'key' });
    expect(bot.meta.overridable ?? []).toEqual([]);
  });
});
