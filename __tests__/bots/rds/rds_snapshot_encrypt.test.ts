import { mockClient } from 'aws-sdk-client-mock';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { checkSensitiveParams } from '../../../bots/param-trust';
import bot from '../../../bots/rds/rds_snapshot_encrypt';
import type { DerivedIds } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { ACCOUNT } from './rds.fixtures';
import { AWS_RDS_KEY_ID, KEY_ID, keyArn, keyMetadata, seedKms, sessionsOfThisTest } from './kms-key.fixtures';

const snapshot = { type: 'AWS::RDS::DBSnapshot', id: 'orders-snap' };
const clusterSnapshot = { type: 'AWS::RDS::DBClusterSnapshot', id: 'orders-cluster-snap' };
const tags = [{ Key: 'cloudmend:created-by', Value: 'rds_snapshot_encrypt' }];
const notFound = (name: string) => Object.assign(new Error('not found'), { name });

describe('rds_snapshot_encrypt', () => {
  const rds = mockClient(RDSClient);
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    rds.reset();
    kms.reset();
    seedKms(kms);
    rds.on(DescribeDBSnapshotsCommand).rejects(notFound('DBSnapshotNotFoundFault'));
    rds.on(DescribeDBClusterSnapshotsCommand).rejects(notFound('DBClusterSnapshotNotFoundFault'));
    rds.on(CopyDBSnapshotCommand).resolves({});
    rds.on(CopyDBClusterSnapshotCommand).resolves({});
  });
  afterAll(() => {
    rds.restore();
    kms.restore();
  });

  const dbSnapshot = (name: string, extra = {}) =>
    rds
      .on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: name })
      .resolves({ DBSnapshots: [{ DBSnapshotIdentifier: name, Status: 'available', Encrypted: false, ...extra }] });

  it('copies an unencrypted DB snapshot encrypted with aws/rds, resolved to its key, through a session naming the copy and that key only', async () => {
    dbSnapshot('orders-snap');
    const named: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: snapshot, onNarrow: (ids) => named.push(ids) }));
    const copy = 'orders-snap-cloudmend-encrypted';
    expect(named).toEqual([{ dbSnapshotId: [copy] }, { dbSnapshotId: [copy], kmsKeyId: [AWS_RDS_KEY_ID] }]);
    // The alias is looked up page by page with the first session (ListAliases needs no resource); the key is read and used through the narrowed one.
    expect(kms.commandCalls(ListAliasesCommand).map((c) => c.args[0].input)).toEqual([{ Limit: 100 }, { Limit: 100, Marker: 'page-2' }]);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: AWS_RDS_KEY_ID }]);
    expect(sessionsOfThisTest()).toEqual([
      ['DescribeDBSnapshotsCommand', null],
      ['DescribeDBSnapshotsCommand', { dbSnapshotId: [copy] }],
      ['ListAliasesCommand', null],
      ['ListAliasesCommand', null],
      ['DescribeKeyCommand', { dbSnapshotId: [copy], kmsKeyId: [AWS_RDS_KEY_ID] }],
      ['CopyDBSnapshotCommand', { dbSnapshotId: [copy], kmsKeyId: [AWS_RDS_KEY_ID] }],
    ]);
    expect(rds.commandCalls(CopyDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      {
        SourceDBSnapshotIdentifier: 'orders-snap',
        TargetDBSnapshotIdentifier: copy,
        KmsKeyId: keyArn(AWS_RDS_KEY_ID),
        CopyTags: false,
        Tags: tags,
      },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: `started encrypted copy ${copy} of DB snapshot orders-snap with alias/aws/rds (${keyArn(AWS_RDS_KEY_ID)}); the original orders-snap is kept (unencrypted): delete it once the copy is checked, to close the finding`,
      changes: [
        {
          action: 'rds:CopyDBSnapshot',
          target: `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:${copy}`,
          description: `encrypted copy ${copy} of DB snapshot orders-snap with KMS key alias/aws/rds (${keyArn(AWS_RDS_KEY_ID)}); orders-snap kept`,
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
    const key = keyArn(KEY_ID);
    const result = await bot.run(botContext(bot, { resource: clusterSnapshot, params: { kms_key: key } }));
    // A key ARN needs no lookup: the key is read, then used, through the session naming it.
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(0);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: KEY_ID }]);
    expect(sessionsOfThisTest().slice(-2)).toEqual([
      ['DescribeKeyCommand', { dbClusterSnapshotId: ['orders-cluster-snap-cloudmend-encrypted'], kmsKeyId: [KEY_ID] }],
      ['CopyDBClusterSnapshotCommand', { dbClusterSnapshotId: ['orders-cluster-snap-cloudmend-encrypted'], kmsKeyId: [KEY_ID] }],
    ]);
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
    // No key is resolved when there is nothing to copy.
    expect(kms.calls()).toHaveLength(0);
  });

  it('refuses an unencrypted snapshot already named like the copy, without copying or resolving a key', async () => {
    dbSnapshot('orders-snap');
    dbSnapshot('orders-snap-cloudmend-encrypted', { Encrypted: false });
    await expect(bot.run(botContext(bot, { resource: snapshot }))).rejects.toThrow(
      'orders-snap-cloudmend-encrypted exists but is not encrypted: it is not the copy this bot makes; rename it',
    );
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  it('waits for a snapshot still being created, and fails on one that does not exist', async () => {
    dbSnapshot('orders-snap', { Status: 'creating' });
    const result = await bot.run(botContext(bot, { resource: snapshot }));
    expect(result.message).toBe('DB snapshot orders-snap is creating: RDS copies only an available snapshot; run again once it is');
    rds.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: 'orders-snap' }).rejects(notFound('DBSnapshotNotFoundFault'));
    await expect(bot.run(botContext(bot, { resource: snapshot }))).rejects.toThrow('DB snapshot orders-snap not found');
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('in dry run reads and reports the copy, with the key it resolved, without making it', async () => {
    dbSnapshot('orders-snap');
    const result = await bot.run(botContext(bot, { resource: snapshot, dryRun: true, params: { kms_key: 'alias/db' } }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]!.description).toContain(`with KMS key alias/db (${keyArn(KEY_ID)})`);
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  describe('the KMS key', () => {
    const run = (kms_key: string) => bot.run(botContext(bot, { resource: snapshot, params: { kms_key } }));
    beforeEach(() => dbSnapshot('orders-snap'));

    it.each([
      ['an alias name', 'alias/db'],
      ['an alias ARN', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/db`],
      ['a key id', KEY_ID],
    ])('resolves %s to the key ARN RDS is handed', async (_what, kms_key) => {
      expect((await run(kms_key)).status).toBe('remediated');
      expect(rds.commandCalls(CopyDBSnapshotCommand)[0]!.args[0].input.KmsKeyId).toBe(keyArn(KEY_ID));
      expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: KEY_ID }]);
    });

    it('uses the AWS managed key aws/rds like any other: named in the session, by its key ARN', async () => {
      kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/aws/rds', TargetKeyId: AWS_RDS_KEY_ID }] });
      expect((await run('alias/aws/rds')).status).toBe('remediated');
      expect(rds.commandCalls(CopyDBSnapshotCommand)[0]!.args[0].input.KmsKeyId).toBe(keyArn(AWS_RDS_KEY_ID));
    });

    it('skips, changing nothing, while aws/rds has no key yet (KMS creates it on first use), and says what to do', async () => {
      seedKms(kms, null);
      const result = await run('alias/aws/rds');
      expect(result).toEqual({
        status: 'skipped',
        message:
          'alias/aws/rds has no key yet in us-east-1: KMS creates the AWS managed RDS key on its first use, and cloudmend lets RDS use only a key it has named; nothing started. ' +
          'Create it once (for example `aws kms describe-key --key-id alias/aws/rds --region us-east-1`, which makes KMS create it) or set kms_key to a customer managed key, then run again',
        changes: [],
      });
      expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
      expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    });

    it.each([
      [
        'an alias ARN of another account (even one on trust.allowedKmsKeys)',
        'arn:aws:kms:us-east-1:999999999999:alias/shared',
        "kms_key arn:aws:kms:us-east-1:999999999999:alias/shared is in account 999999999999, Region us-east-1: RDS encrypts with a key of the Region it copies in, and cloudmend lets RDS use only keys of the finding's account (222222222222, us-east-1), each named per run",
      ],
      [
        'a key ARN of another Region',
        keyArn(KEY_ID, ACCOUNT, 'eu-west-1'),
        `kms_key ${keyArn(KEY_ID, ACCOUNT, 'eu-west-1')} is in account ${ACCOUNT}, Region eu-west-1`,
      ],
      [
        'the AWS managed key of another service',
        'alias/aws/ebs',
        'kms_key alias/aws/ebs is the AWS managed key of another service: its key policy lets only that service use it; use alias/aws/rds or a customer managed key',
      ],
      ['an alias the account does not have', 'alias/nope', 'kms_key alias/nope: no alias alias/nope in account 222222222222, us-east-1'],
      [
        'a key id the account does not have',
        '00000000-0000-0000-0000-000000000000',
        'kms_key 00000000-0000-0000-0000-000000000000: key 00000000-0000-0000-0000-000000000000 not found in account 222222222222, us-east-1',
      ],
    ])('refuses %s before any write', async (_what, kms_key, message) => {
      // Whatever the handler's param check let through (an allow-listed alias of another account): the bot names keys of the finding's account only.
      const scope = { partition: 'aws', account: ACCOUNT, region: 'us-east-1' };
      expect(checkSensitiveParams(bot.meta, { kms_key }, scope, { allowedDestinations: [], allowedKmsKeys: [kms_key] })).toBeUndefined();
      await expect(run(kms_key)).rejects.toThrow(message);
      expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    });

    it('refuses an alias that resolves to a key of another account (the trust rule holds after resolution), before any write', async () => {
      const foreign = keyArn(KEY_ID, '999999999999');
      kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves(keyMetadata(KEY_ID, { Arn: foreign }));
      // An alias of the finding's own account passes the handler's param check; what it resolves to is checked again by the bot.
      const scope = { partition: 'aws', account: ACCOUNT, region: 'us-east-1' };
      expect(
        checkSensitiveParams(bot.meta, { kms_key: 'alias/db' }, scope, { allowedDestinations: [], allowedKmsKeys: [] }),
      ).toBeUndefined();
      await expect(run('alias/db')).rejects.toThrow(
        `kms_key alias/db resolves to ${foreign}, in account 999999999999, Region us-east-1: cloudmend lets RDS use only keys of the finding's account (222222222222, us-east-1)`,
      );
      expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    });

    it.each([
      [{ KeyState: 'PendingDeletion' }, 'is PendingDeletion, not Enabled'],
      [{ KeyState: 'Disabled' }, 'is Disabled, not Enabled'],
      [{ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, 'is a RSA_2048 key: RDS encrypts only with symmetric encryption keys'],
      [{ KeyUsage: 'GENERATE_VERIFY_MAC', KeySpec: 'HMAC_256' }, 'is for GENERATE_VERIFY_MAC, not ENCRYPT_DECRYPT'],
    ] as const)('refuses a key RDS cannot encrypt with (%j)', async (extra, words) => {
      kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves(keyMetadata(KEY_ID, extra));
      await expect(run('alias/db')).rejects.toThrow(`kms_key alias/db (${keyArn(KEY_ID)}) ${words}; RDS cannot encrypt with it`);
      expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    });

    it('refuses an answer for another key than the one asked for', async () => {
      kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves(keyMetadata(AWS_RDS_KEY_ID));
      await expect(run(KEY_ID)).rejects.toThrow(`DescribeKey of ${KEY_ID} answered for another key`);
      expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    });
  });

  it('takes a key only as a KMS key reference, never from a finding', () => {
    expect(bot.meta.params.parse({})).toEqual({ kms_key: 'alias/aws/rds' });
    expect(bot.meta.params.safeParse({ kms_key: 'arn:aws:s3:::bucket' }).success).toBe(false);
    expect(bot.meta.sensitiveParams).toEqual({ kms_key: 'key' });
    expect(bot.meta.overridable ?? []).toEqual([]);
  });
});
