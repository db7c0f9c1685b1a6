import { z } from 'zod';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ChangeSet, type PlannedChange } from '../changes';
import { batchedWriters } from '../narrow';
import { defineBot, type BotContext } from '../types';
import { publicFlagUndoer } from './ec2-resource';
import { sdk } from '../sdk';

const KIND = 'create-volume-permission';
const SNAPSHOT_ID = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** Snapshot ARNs name no account. */
const FINDING_SNAPSHOT_ARN = 'arn:{partition}:ec2:{region}::snapshot/{resourceId}';
const READ_SNAPSHOT_ARN = 'arn:{partition}:ec2:{region}::snapshot/{snapshotId}';
/** Snapshots named in one narrowed session: each ARN is ~60 characters of AssumeRole's 2,048. */
export const SNAPSHOTS_PER_SESSION = 20;

async function isPublic(ec2: EC2Client, snapshotId: string): Promise<boolean> {
  const { DescribeSnapshotAttributeCommand } = await sdk.ec2();
  const { CreateVolumePermissions = [] } = await ec2.send(
    new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }),
  );
  return CreateVolumePermissions.some((p) => p.Group === 'all');
}

async function setPublic(ec2: EC2Client, snapshotId: string, makePublic: boolean): Promise<void> {
  const { ModifySnapshotAttributeCommand } = await sdk.ec2();
  // The OperationType form, which EC2 and emulators (moto) both take, rather than CreateVolumePermission.Add/Remove.
  await ec2.send(
    new ModifySnapshotAttributeCommand({
      SnapshotId: snapshotId,
      Attribute: 'createVolumePermission',
      OperationType: makePublic ? 'add' : 'remove',
      GroupNames: ['all'],
    }),
  );
}

/** The account's own snapshots in the region that anyone may create volumes from, as EC2 lists them. */
async function publicSnapshotsOf(ec2: EC2Client, account: string): Promise<string[]> {
  const { paginateDescribeSnapshots } = await sdk.ec2();
  const ids: string[] = [];
  for await (const page of paginateDescribeSnapshots({ client: ec2 }, { OwnerIds: ['self'], RestorableByUserIds: ['all'] })) {
    for (const snapshot of page.Snapshots ?? []) {
      if (snapshot.SnapshotId && snapshot.OwnerId === account) ids.push(snapshot.SnapshotId);
    }
  }
  return [...new Set(ids)];
}

function change(ctx: Pick<BotContext, 'partition' | 'region'>, snapshotId: string): PlannedChange {
  return {
    action: 'ec2:ModifySnapshotAttribute',
    target: `arn:${ctx.partition}:ec2:${ctx.region}::snapshot/${snapshotId}`,
    description: `${snapshotId}: create volume permission public (group all) -> removed`,
    // Undo sessions name this snapshot alone (an account finding's resource is the account, not the snapshot).
    undo: { kind: KIND, before: { public: true }, after: { public: false }, ids: { snapshotId: [snapshotId] } },
  };
}

export default defineBot({
  meta: {
    name: 'ebs_snapshot_set_to_private',
    summary: 'Make public EBS snapshots private (remove the `all` create volume permission)',
    description:
      'Removes the `all` group from the create volume permissions of public EBS snapshots, so only the owner and the ' +
      'accounts they were explicitly shared with can create volumes from them (those shares are left as they are; ' +
      'AWS’s MakeEBSSnapshotsPrivate runbook does the same). On a snapshot finding, that snapshot; on an account finding ' +
      '(Security Hub reports EC2.1 on the account), every snapshot the account owns in the region that EC2 lists as ' +
      'restorable by all, each re-read through a session naming only the snapshots listed before it is changed. ' +
      'Each snapshot made private is recorded, and undo makes it public again through credentials naming that snapshot only.',
    resourceTypes: ['AWS::::Account', 'AWS::EC2::Snapshot'],
    remediates: { securityHub: ['EC2.1', 'PCI.EC2.1'], config: ['ebs-snapshot-public-restorable-check'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeSnapshots'],
        resources: ['*'],
        reason: 'list the account’s public snapshots (DescribeSnapshots supports no resource-level permissions)',
      },
      {
        actions: ['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute'],
        resources: [FINDING_SNAPSHOT_ARN],
        reason: 'read and remove the public create volume permission of the finding’s snapshot',
      },
      {
        actions: ['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute'],
        resources: [READ_SNAPSHOT_ARN],
        reason: 'on an account finding: re-read and make private only the snapshots listed as public',
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'adds the public (`all`) create volume permission back to the snapshot',
        permissions: [
          {
            actions: ['ec2:DescribeSnapshotAttribute', 'ec2:ModifySnapshotAttribute'],
            resources: [READ_SNAPSHOT_ARN],
            reason: 'undo: read the snapshot’s create volume permissions and make it public again (only the snapshot the change recorded)',
          },
        ],
        recordsIds: ['snapshotId'],
      },
    },
  },
  undoers: {
    [KIND]: publicFlagUndoer(isPublic, setPublic),
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const { type, id } = ctx.finding.resource;
    const changes = new ChangeSet(ctx);

    if (type !== 'AWS::::Account') {
      if (!SNAPSHOT_ID.test(id))
        throw new Error(`expected an EBS snapshot id (snap-0123456789abcdef0) as the finding's resource, got ${type} "${id}"`);
      if (await isPublic(ec2, id)) await changes.apply(change(ctx, id), () => setPublic(ec2, id, false));
      return changes.result(`made snapshot ${id} private`, `snapshot ${id} is not public`);
    }

    if (id !== ctx.account) throw new Error(`the finding's account resource ${id} is not the finding's account ${ctx.account}`);
    const listed = await publicSnapshotsOf(ec2, ctx.account);
    // Reads and writes of each snapshot go through a session naming only the snapshots listed; dry run writes nothing.
    const sessionFor = batchedWriters(ctx, EC2Client, ec2, 'snapshotId', listed, SNAPSHOTS_PER_SESSION);
    const privateAlready: string[] = [];
    for (const snapshotId of listed) {
      if (ctx.dryRun) {
        // The first session may not read a listed snapshot's attribute; EC2 listed it as restorable by all.
        await changes.apply(change(ctx, snapshotId), async () => undefined);
        continue;
      }
      const writer = await sessionFor(snapshotId);
      // Listed a moment ago; checked again, so a snapshot made private meanwhile is not reported as our change.
      if (!(await isPublic(writer, snapshotId))) {
        privateAlready.push(snapshotId);
        continue;
      }
      await changes.apply(change(ctx, snapshotId), () => setPublic(writer, snapshotId, false));
    }
    const made = changes.size;
    const note = privateAlready.length ? `; ${privateAlready.join(', ')} no longer public when re-read` : '';
    return changes.result(
      `made ${made} public snapshot(s) of account ${ctx.account} in ${ctx.region} private${note}`,
      `account ${ctx.account} owns no public snapshot in ${ctx.region}${note}`,
    );
  },
});
