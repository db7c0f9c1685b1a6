/**
 * moto 5.2.1 ignores DescribeSnapshots' OwnerIds and RestorableByUserIds (it lists every snapshot of the
 * account): the exact listing inputs, and a dry run relying on them, are proven here; the integration
 * test shows the re-read through the narrowed session leaves a private snapshot alone.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSnapshotAttributeCommand, DescribeSnapshotsCommand, EC2Client, ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import bot, { SNAPSHOTS_PER_SESSION } from '../../../bots/ec2/ebs_snapshot_set_to_private';
import { botContext, mockedClients } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';
import { undoSteps } from '../../support/undo-through-session';

const ACCOUNT = '222222222222';
const account = { type: 'AWS::::Account', id: ACCOUNT };
const snapshot = { type: 'AWS::EC2::Snapshot', id: 'snap-0123456789abcdef0' };
const arnOf = (id: string) => `arn:aws:ec2:us-east-1::snapshot/${id}`;
const snap = (n: number) => `snap-${n.toString(16).padStart(17, '0')}`;

describe('ebs_snapshot_set_to_private', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  describe('on an account finding (Security Hub EC2.1)', () => {
    it('lists the account’s public snapshots, re-reads each through a narrowed session and removes the all permission', async () => {
      ec2.on(DescribeSnapshotsCommand).resolves({
        Snapshots: [
          { SnapshotId: snap(1), OwnerId: ACCOUNT },
          { SnapshotId: snap(2), OwnerId: ACCOUNT },
          { SnapshotId: snap(3), OwnerId: '333333333333' },
        ],
      });
      ec2
        .on(DescribeSnapshotAttributeCommand, { SnapshotId: snap(1) })
        .resolves({ CreateVolumePermissions: [{ Group: 'all' }, { UserId: '444444444444' }] });
      ec2.on(DescribeSnapshotAttributeCommand, { SnapshotId: snap(2) }).resolves({ CreateVolumePermissions: [] });
      ec2.on(ModifySnapshotAttributeCommand).resolves({});
      const narrowed: unknown[] = [];

      const result = await bot.run(botContext(bot, { resource: account, onNarrow: (ids) => narrowed.push(ids) }));

      expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]!.args[0].input).toEqual({ OwnerIds: ['self'], RestorableByUserIds: ['all'] });
      expect(narrowed).toEqual([{ snapshotId: [snap(1), snap(2)] }]);
      expect(ec2.commandCalls(DescribeSnapshotAttributeCommand).map((c) => c.args[0].input)).toEqual([
        { SnapshotId: snap(1), Attribute: 'createVolumePermission' },
        { SnapshotId: snap(2), Attribute: 'createVolumePermission' },
      ]);
      expect(ec2.commandCalls(ModifySnapshotAttributeCommand).map((c) => c.args[0].input)).toEqual([
        { SnapshotId: snap(1), Attribute: 'createVolumePermission', OperationType: 'remove', GroupNames: ['all'] },
      ]);
      expect(result).toEqual({
        status: 'remediated',
        message: `made 1 public snapshot(s) of account ${ACCOUNT} in us-east-1 private; ${snap(2)} no longer public when re-read`,
        changes: [
          {
            action: 'ec2:ModifySnapshotAttribute',
            target: arnOf(snap(1)),
            description: `${snap(1)}: create volume permission public (group all) -> removed`,
            applied: true,
            undo: {
              kind: 'create-volume-permission',
              before: { public: true },
              after: { public: false },
              ids: { snapshotId: [snap(1)] },
            },
          },
        ],
      });

      // The account finding names no snapshot: the undo session names the one the change recorded, and no other.
      const [step] = undoSteps(bot.meta.name, result.changes, { account: ACCOUNT, region: 'us-east-1', resourceId: ACCOUNT });
      expect(step!.refusal).toBeUndefined();
      expect(step!.sessionPolicy).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute'],
            Resource: [arnOf(snap(1))],
          },
        ],
      });
    });

    it(`names at most ${SNAPSHOTS_PER_SESSION} snapshots per session, each written through its own batch`, async () => {
      const ids = Array.from({ length: SNAPSHOTS_PER_SESSION + 3 }, (_, i) => snap(i + 1));
      ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: ids.map((SnapshotId) => ({ SnapshotId, OwnerId: ACCOUNT })) });
      ec2.on(DescribeSnapshotAttributeCommand).resolves({ CreateVolumePermissions: [{ Group: 'all' }] });
      const narrowed: Array<{ snapshotId?: readonly string[] }> = [];
      const result = await bot.run(botContext(bot, { resource: account, onNarrow: (n) => narrowed.push(n) }));
      expect(narrowed.map((n) => n.snapshotId?.length)).toEqual([SNAPSHOTS_PER_SESSION, 3]);
      expect(result.changes).toHaveLength(ids.length);
    });

    it('is already compliant when the account owns no public snapshot', async () => {
      ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
      const result = await bot.run(botContext(bot, { resource: account }));
      expect(result).toEqual({
        status: 'already-compliant',
        message: `account ${ACCOUNT} owns no public snapshot in us-east-1`,
        changes: [],
      });
    });

    it('in dry run reports the listed snapshots without reading or writing them (no narrowed session)', async () => {
      ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: snap(1), OwnerId: ACCOUNT }] });
      const narrowed: unknown[] = [];
      const result = await bot.run(botContext(bot, { resource: account, dryRun: true, onNarrow: (n) => narrowed.push(n) }));
      expect(result.status).toBe('dry-run');
      expect(result.changes).toEqual([expect.objectContaining({ target: arnOf(snap(1)), applied: false })]);
      expect(narrowed).toEqual([]);
      expect(ec2.commandCalls(DescribeSnapshotAttributeCommand)).toHaveLength(0);
      expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
    });

    it('refuses an account resource that is not the finding’s account', async () => {
      await expect(bot.run(botContext(bot, { resource: { type: 'AWS::::Account', id: '999999999999' } }))).rejects.toThrow(
        "the finding's account resource 999999999999 is not the finding's account 222222222222",
      );
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('on a snapshot finding', () => {
    it('removes the all permission of that snapshot only', async () => {
      ec2.on(DescribeSnapshotAttributeCommand).resolves({ CreateVolumePermissions: [{ Group: 'all' }] });
      const result = await bot.run(botContext(bot, { resource: snapshot }));
      expect(ec2.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
      expect(ec2.commandCalls(ModifySnapshotAttributeCommand)[0]!.args[0].input).toEqual({
        SnapshotId: 'snap-0123456789abcdef0',
        Attribute: 'createVolumePermission',
        OperationType: 'remove',
        GroupNames: ['all'],
      });
      expect(result.message).toBe('made snapshot snap-0123456789abcdef0 private');
      expect(result.changes.map((c) => c.undo?.ids)).toEqual([{ snapshotId: ['snap-0123456789abcdef0'] }]);
      const [step] = undoSteps(bot.meta.name, result.changes, { account: ACCOUNT, region: 'us-east-1', resourceId: snapshot.id });
      expect(step!.sessionPolicy!.Statement.flatMap((s) => s.Resource)).toEqual([arnOf('snap-0123456789abcdef0')]);
    });

    it('is already compliant when the snapshot is not public; dry run writes nothing', async () => {
      ec2.on(DescribeSnapshotAttributeCommand).resolves({ CreateVolumePermissions: [{ UserId: '444444444444' }] });
      expect((await bot.run(botContext(bot, { resource: snapshot }))).status).toBe('already-compliant');
      ec2.on(DescribeSnapshotAttributeCommand).resolves({ CreateVolumePermissions: [{ Group: 'all' }] });
      expect((await bot.run(botContext(bot, { resource: snapshot, dryRun: true }))).status).toBe('dry-run');
      expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
    });

    it('refuses a resource id that is not a snapshot id, and passes on EC2 errors', async () => {
      await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Snapshot', id: 'vol-0123456789abcdef0' } }))).rejects.toThrow(
        'expected an EBS snapshot id',
      );
      ec2.on(DescribeSnapshotAttributeCommand).rejects(awsError('InvalidSnapshot.NotFound', 'no such snapshot', 400));
      await expect(bot.run(botContext(bot, { resource: snapshot }))).rejects.toThrow('no such snapshot');
    });
  });

  it('refuses to undo a change recorded without its snapshot id (before undo sessions named it)', () => {
    const change = {
      action: 'ec2:ModifySnapshotAttribute',
      target: arnOf(snap(1)),
      description: 'd',
      applied: true,
      undo: { kind: 'create-volume-permission', before: { public: true }, after: { public: false } },
    };
    const [step] = undoSteps(bot.meta.name, [change], { account: ACCOUNT, region: 'us-east-1', resourceId: ACCOUNT });
    expect(step!.refusal).toBe(
      'the change record names no snapshotId for its undo session (recorded before ebs_snapshot_set_to_private recorded them), ' +
        'and undo is never granted more than the record names; restore by hand to {"public":true}',
    );
  });

  it('undo reads whether the snapshot is public and makes it public again', async () => {
    const undoer = bot.undoers!['create-volume-permission']!;
    const ctx = { client: mockedClients, partition: 'aws', account: ACCOUNT, region: 'us-east-1', target: arnOf(snap(1)) };
    ec2.on(DescribeSnapshotAttributeCommand).resolves({ CreateVolumePermissions: [] });
    expect(await undoer.read(ctx)).toEqual({ public: false });
    await undoer.write(ctx, { public: true });
    expect(ec2.commandCalls(ModifySnapshotAttributeCommand)[0]!.args[0].input).toEqual({
      SnapshotId: snap(1),
      Attribute: 'createVolumePermission',
      OperationType: 'add',
      GroupNames: ['all'],
    });
  });
});
