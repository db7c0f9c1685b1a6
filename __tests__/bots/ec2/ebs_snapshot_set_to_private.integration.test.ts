/**
 * moto 5.2.1 ignores DescribeSnapshots' OwnerIds and RestorableByUserIds, so here the private snapshot is
 * listed too: the re-read through the narrowed session is what leaves it alone (the unit test proves the filters).
 */
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotAttributeCommand,
  type EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ebs_snapshot_set_to_private';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, adminEc2, botSession } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

async function seedSnapshots(admin: EC2Client): Promise<{ open: string[]; closed: string }> {
  const volumeId = (await admin.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 8 }))).VolumeId!;
  const snapshot = async () => (await admin.send(new CreateSnapshotCommand({ VolumeId: volumeId }))).SnapshotId!;
  const open = [await snapshot(), await snapshot()];
  for (const SnapshotId of open) {
    await admin.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        GroupNames: ['all'],
      }),
    );
  }
  return { open, closed: await snapshot() };
}

async function isPublic(admin: EC2Client, SnapshotId: string): Promise<boolean> {
  const { CreateVolumePermissions = [] } = await admin.send(
    new DescribeSnapshotAttributeCommand({ SnapshotId, Attribute: 'createVolumePermission' }),
  );
  return CreateVolumePermissions.some((p) => p.Group === 'all');
}

describeMoto('ebs_snapshot_set_to_private against moto', () => {
  it('on an account finding makes every public snapshot private through sessions naming them, then reports compliant', async () => {
    const admin = await adminEc2();
    const { open, closed } = await seedSnapshots(admin);
    const session = await botSession(bot, MEMBER);
    const scope = { partition: 'aws', account: MEMBER, region: REGION, resourceId: MEMBER };
    const narrowClient = async (ids: Record<string, readonly string[]>) =>
      (await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { ...scope, derived: ids }))).client;
    const run = () => bot.run(botContext(bot, { resource: { type: 'AWS::::Account', id: MEMBER }, client: session.client, narrowClient }));

    const first = await run();
    expect(first.status).toBe('remediated');
    expect(first.changes.map((c) => c.target).sort()).toEqual(open.map((id) => `arn:aws:ec2:${REGION}::snapshot/${id}`).sort());
    for (const id of [...open, closed]) expect(await isPublic(admin, id)).toBe(false);
    const second = await run();
    expect(second.changes).toEqual([]);
  });

  it('remediate, then undo: both snapshots public again, the private one untouched', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const { open, closed } = await seedSnapshots(admin);
    const outcome = await remediate(bot, 'AWS::::Account', MEMBER);
    expect(outcome.result?.status).toBe('remediated');
    // Each change names its snapshot, as moto listed it: the one its undo session may touch.
    expect(outcome.result?.changes.map((c) => c.undo?.ids?.snapshotId).sort()).toEqual(open.map((id) => [id]).sort());
    expect((await undoThroughCli(outcome.resultId!)).code).toBe(0);
    for (const id of open) expect(await isPublic(admin, id)).toBe(true);
    expect(await isPublic(admin, closed)).toBe(false);
  });
});
