import { mockClient } from 'aws-sdk-client-mock';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import {
  CopyDBSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import bot, { encryptedInstanceName } from '../../../bots/rds/rds_enable_encryption';
import type { DerivedIds } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { ACCOUNT, db, instance } from './rds.fixtures';
import { AWS_RDS_KEY_ID, KEY_ID, keyArn, seedKms, sessionsOfThisTest } from './kms-key.fixtures';

const plain = 'orders-cloudmend-unencrypted';
const encrypted = 'orders-cloudmend-encrypted';
const snapArn = (name: string) => `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:${name}`;
const tags = [{ Key: 'cloudmend:created-by', Value: 'rds_enable_encryption' }];
const notFound = () => Object.assign(new Error('not found'), { name: 'DBSnapshotNotFoundFault' });

const original = instance({
  StorageEncrypted: false,
  DBInstanceClass: 'db.t3.micro',
  DBSubnetGroup: { DBSubnetGroupName: 'db-subnets', VpcId: 'vpc-1' },
  VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-app', Status: 'active' }],
  DBParameterGroups: [{ DBParameterGroupName: 'orders-params' }],
  OptionGroupMemberships: [{ OptionGroupName: 'default:postgres-16' }],
  MultiAZ: true,
  Endpoint: { Port: 5432 },
  PubliclyAccessible: false,
  AutoMinorVersionUpgrade: true,
  DeletionProtection: true,
  CopyTagsToSnapshot: true,
  StorageType: 'gp3',
  TagList: [{ Key: 'team', Value: 'orders' }],
});

describe('rds_enable_encryption', () => {
  const rds = mockClient(RDSClient);
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    rds.reset();
    kms.reset();
    seedKms(kms);
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' }).resolves(original);
    rds.on(DescribeDBSnapshotsCommand).rejects(notFound());
  });
  afterAll(() => {
    rds.restore();
    kms.restore();
  });

  const snapshots = (found: Record<string, string>, copyKey = keyArn(KEY_ID)) => {
    for (const [name, status] of Object.entries(found)) {
      const key = name === encrypted ? { Encrypted: true, KmsKeyId: copyKey } : { Encrypted: false };
      rds.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: name }).resolves({
        DBSnapshots: [{ DBSnapshotIdentifier: name, Status: status, PercentProgress: status === 'available' ? 100 : 40, ...key }],
      });
    }
  };
  const planIds = { dbSnapshotId: [plain, encrypted], dbInstanceId: ['orders-encrypted'] };

  it('step 1: snapshots the instance under its plan name, through a session naming the plan, and reports the plan', async () => {
    const named: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: db, onNarrow: (ids) => named.push(ids) }));
    expect(named).toEqual([{ dbSnapshotId: [plain, encrypted], dbInstanceId: ['orders-encrypted'] }]);
    expect(rds.commandCalls(CreateDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      { DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: plain, Tags: tags },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      {
        action: 'rds:CreateDBSnapshot',
        target: snapArn(plain),
        description: `step 1: snapshot ${plain} of orders (unencrypted, kept)`,
        applied: true,
        undo: { kind: 'unencrypted-snapshot', before: null, after: null },
      },
    ]);
    expect(result.message).toMatch(/^encryption of orders under way, orders untouched and nothing deleted: 1\. \[started now\] snapshot/);
    expect(result.message).toContain('3. [operator] restore orders-cloudmend-encrypted as a new instance (restore=true, or by hand)');
    expect(result.message).toContain('4. [operator] cut over');
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
    // No key is needed to snapshot an unencrypted instance.
    expect(kms.calls()).toHaveLength(0);
  });

  it('waits, changing nothing, while the snapshot is being created', async () => {
    snapshots({ [plain]: 'creating' });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(
      /^encryption of orders in progress \(snapshot orders-cloudmend-unencrypted is creating, 40%\); run again to continue: 1\. \[in progress\]/,
    );
    expect(rds.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('step 2: copies the available snapshot encrypted with aws/rds by default, resolved, through a session naming the plan and that key', async () => {
    snapshots({ [plain]: 'available' });
    const named: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: db, onNarrow: (ids) => named.push(ids) }));
    const copyIds = { dbSnapshotId: [plain, encrypted], kmsKeyId: [AWS_RDS_KEY_ID] };
    expect(named).toEqual([planIds, copyIds]);
    expect(kms.commandCalls(ListAliasesCommand).map((c) => c.args[0].input)).toEqual([{ Limit: 100 }, { Limit: 100, Marker: 'page-2' }]);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: AWS_RDS_KEY_ID }]);
    expect(sessionsOfThisTest().slice(-4)).toEqual([
      ['ListAliasesCommand', null],
      ['ListAliasesCommand', null],
      ['DescribeKeyCommand', copyIds],
      ['CopyDBSnapshotCommand', copyIds],
    ]);
    expect(rds.commandCalls(CopyDBSnapshotCommand)[0]!.args[0].input).toEqual({
      SourceDBSnapshotIdentifier: plain,
      TargetDBSnapshotIdentifier: encrypted,
      KmsKeyId: keyArn(AWS_RDS_KEY_ID),
      CopyTags: false,
      Tags: tags,
    });
    expect(result.changes).toEqual([
      {
        action: 'rds:CopyDBSnapshot',
        target: snapArn(encrypted),
        description: `step 2: encrypted copy ${encrypted} of ${plain} with KMS key alias/aws/rds (${keyArn(AWS_RDS_KEY_ID)})`,
        applied: true,
        undo: { kind: 'encrypted-copy', before: null, after: null },
      },
    ]);
    expect(result.message).toContain('1. [done] snapshot');
    expect(result.message).toContain('2. [started now] encrypted copy orders-cloudmend-encrypted with alias/aws/rds');

    rds.resetHistory();
    const key = keyArn(KEY_ID);
    await bot.run(botContext(bot, { resource: db, params: { kms_key: key } }));
    expect(rds.commandCalls(CopyDBSnapshotCommand)[0]!.args[0].input).toMatchObject({ KmsKeyId: key });
  });

  it('step 2: skips, starting nothing, while aws/rds has no key yet, and refuses a key of another account', async () => {
    snapshots({ [plain]: 'available' });
    seedKms(kms, null);
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(
      /^alias\/aws\/rds has no key yet in us-east-1: KMS creates the AWS managed RDS key on its first use.*then run again: 1\. \[done\]/,
    );
    await expect(
      bot.run(botContext(bot, { resource: db, params: { kms_key: 'arn:aws:kms:us-east-1:999999999999:alias/shared' } })),
    ).rejects.toThrow('is in account 999999999999');
    expect(rds.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  it('waits while the encrypted copy is being made', async () => {
    snapshots({ [plain]: 'available', [encrypted]: 'creating' });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('(encrypted copy orders-cloudmend-encrypted is creating, 40%)');
    expect(result.message).toContain('1. [done]');
    expect(result.message).toContain('2. [in progress]');
  });

  it('without restore, stops at the encrypted copy and says what the operator must do', async () => {
    snapshots({ [plain]: 'available', [encrypted]: 'available' });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(
      /^encrypted snapshot orders-cloudmend-encrypted of orders is ready; left to the operator \(or restore=true\): 1\. \[done\].*2\. \[done\].*3\. \[operator\].*4\. \[operator\] cut over: stop writes to orders/,
    );
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
  });

  it('step 3 with restore=true: restores a new instance with the original settings and tags, never touching the original', async () => {
    snapshots({ [encrypted]: 'available' });
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-encrypted' })
      .rejects(Object.assign(new Error('nf'), { name: 'DBInstanceNotFoundFault' }));
    const result = await bot.run(botContext(bot, { resource: db, params: { restore: 'true' } }));
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders-encrypted',
      DBSnapshotIdentifier: encrypted,
      DBInstanceClass: 'db.t3.micro',
      DBSubnetGroupName: 'db-subnets',
      VpcSecurityGroupIds: ['sg-app'],
      DBParameterGroupName: 'orders-params',
      OptionGroupName: undefined,
      MultiAZ: true,
      Port: 5432,
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      DeletionProtection: true,
      CopyTagsToSnapshot: true,
      StorageType: 'gp3',
      Tags: [{ Key: 'team', Value: 'orders' }, ...tags],
    });
    expect(result.changes.map((c) => [c.action, c.target, c.undo])).toEqual([
      [
        'rds:RestoreDBInstanceFromDBSnapshot',
        `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-encrypted`,
        { kind: 'encrypted-instance', before: null, after: null },
      ],
    ]);
    // RDS makes a grant on the copy's key as the caller: the restore goes through a session naming that key (no lookup needed).
    expect(sessionsOfThisTest().slice(-1)).toEqual([
      ['RestoreDBInstanceFromDBSnapshotCommand', { dbSnapshotId: [encrypted], dbInstanceId: ['orders-encrypted'], kmsKeyId: [KEY_ID] }],
    ]);
    expect(kms.calls()).toHaveLength(0);
    expect(result.message).toContain('3. [started now] restore orders-cloudmend-encrypted as new instance orders-encrypted');
    expect(rds.calls().map((c) => c.args[0].constructor.name)).not.toContain('ModifyDBInstanceCommand');
  });

  it('with restore=true, refuses to restore a copy encrypted with a key of another account', async () => {
    snapshots({ [encrypted]: 'available' }, keyArn(KEY_ID, '999999999999'));
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-encrypted' })
      .rejects(Object.assign(new Error('nf'), { name: 'DBInstanceNotFoundFault' }));
    await expect(bot.run(botContext(bot, { resource: db, params: { restore: true } }))).rejects.toThrow(
      `${encrypted} is encrypted with ${keyArn(KEY_ID, '999999999999')}, not a key of account ${ACCOUNT} in us-east-1: not restoring through it`,
    );
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
  });

  it('with restore=true and the new instance there, reports it and leaves the cut-over to the operator', async () => {
    snapshots({ [encrypted]: 'available' });
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-encrypted' })
      .resolves(instance({ DBInstanceIdentifier: 'orders-encrypted', StorageEncrypted: true }));
    const result = await bot.run(botContext(bot, { resource: db, params: { restore: true } }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(
      /^orders-encrypted \(encrypted\) is ready; left to the operator: .*3\. \[done\].*check on the new instance what a restore does not carry/,
    );
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
  });

  it('refuses an unencrypted snapshot already named like the encrypted copy: never restored, never reported ready', async () => {
    rds.on(DescribeDBSnapshotsCommand, { DBSnapshotIdentifier: encrypted }).resolves({
      DBSnapshots: [{ DBSnapshotIdentifier: encrypted, Status: 'available', Encrypted: false }],
    });
    for (const restore of [true, false]) {
      await expect(bot.run(botContext(bot, { resource: db, params: { restore } }))).rejects.toThrow(
        `${encrypted} exists but is not encrypted: it is not the copy this bot makes; rename it`,
      );
    }
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
  });

  it('refuses an unencrypted instance already named like the new one', async () => {
    snapshots({ [encrypted]: 'available' });
    rds
      .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders-encrypted' })
      .resolves(instance({ DBInstanceIdentifier: 'orders-encrypted', StorageEncrypted: false }));
    await expect(bot.run(botContext(bot, { resource: db, params: { restore: true } }))).rejects.toThrow(
      'orders-encrypted exists but is not encrypted',
    );
  });

  it('reports an encrypted instance as already compliant, and skips a cluster member or an unavailable instance', async () => {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' }).resolves(instance({ StorageEncrypted: true, KmsKeyId: 'k' }));
    expect(await bot.run(botContext(bot, { resource: db }))).toEqual({
      status: 'already-compliant',
      message: 'orders is encrypted (k)',
      changes: [],
    });
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' }).resolves(instance({ DBClusterIdentifier: 'c1' }));
    expect((await bot.run(botContext(bot, { resource: db }))).message).toMatch(
      /^orders belongs to DB cluster c1: encryption is the cluster's/,
    );
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'orders' }).resolves(instance({ DBInstanceStatus: 'stopped' }));
    expect((await bot.run(botContext(bot, { resource: db }))).message).toBe(
      'orders is stopped: RDS snapshots only an available instance; nothing started',
    );
    expect(rds.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
  });

  it('in dry run reads and reports the next step without taking it', async () => {
    const result = await bot.run(botContext(bot, { resource: db, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'rds:CreateDBSnapshot', applied: false })]);
    expect(rds.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
  });

  it('names the new instance within 63 characters', () => {
    expect(encryptedInstanceName('orders')).toBe('orders-encrypted');
    const long = `a${'b'.repeat(62)}`;
    expect(encryptedInstanceName(long)).toHaveLength(63);
    expect(encryptedInstanceName(`${'a'.repeat(52)}-x`)).toBe(`${'a'.repeat(52)}-encrypted`);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('defaults to aws/rds without restore; the key is a sensitive param no finding may set', () => {
      expect(parse({})).toEqual({ success: true, data: { kms_key: 'alias/aws/rds', restore: false } });
      expect(bot.meta.sensitiveParams).toEqual({ kms_key: 'key' });
      expect(bot.meta.overridable ?? []).toEqual([]);
    });
    it.each([['not a key'], ['arn:aws:s3:::bucket'], [42]])('rejects kms_key=%p', (kms_key) => {
      expect(parse({ kms_key }).success).toBe(false);
    });
    it('accepts key ids, key and alias ARNs', () => {
      for (const kms_key of ['1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/db', 'arn:aws:kms:us-east-1:222222222222:alias/db']) {
        expect(parse({ kms_key }).success).toBe(true);
      }
      expect(parse({ restore: 'perhaps' }).success).toBe(false);
    });
  });
});
