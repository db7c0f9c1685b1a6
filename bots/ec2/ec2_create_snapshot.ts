import { z } from 'zod';
import type { EC2Client, Tag } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { batchedWriters } from '../narrow';
import { defineBot, type BotContext } from '../types';
import { describeInstance, instanceIdOf, isGone, tagValue } from './instance';
import { COMPROMISED_INSTANCE_FINDINGS } from './compromised-instance-findings';
import { sdk } from '../sdk';

const BOT_NAME = 'ec2_create_snapshot';
const FINDING_TAG = 'cloudmend:finding-id';
/** Snapshot ARNs carry no account: snapshots can be shared across accounts. */
const SNAPSHOT_ARN = 'arn:{partition}:ec2:{region}::snapshot/*';
/** Only the volumes read as attached to the instance: the session that snapshots names each of them. */
const VOLUME_ARN = 'arn:{partition}:ec2:{region}:{account}:volume/{volumeId}';
/** Volumes named in one narrowed session: well within AssumeRole's 2,048 characters of policy. */
export const VOLUMES_PER_SESSION = 12;
/** EC2 snapshot descriptions hold at most 255 characters. */
const MAX_DESCRIPTION = 255;

interface AttachedVolume {
  volumeId: string;
  device: string;
}

/** Volumes that already have a live snapshot for this finding: a retried event must not snapshot twice. */
async function volumesAlreadySnapshotted(ec2: EC2Client, volumeIds: string[], findingId: string): Promise<Set<string>> {
  const { DescribeSnapshotsCommand } = await sdk.ec2();
  const done = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeSnapshotsCommand({
        OwnerIds: ['self'],
        Filters: [
          { Name: `tag:${FINDING_TAG}`, Values: [tagValue(findingId)] },
          { Name: 'volume-id', Values: volumeIds },
        ],
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    for (const snapshot of page.Snapshots ?? []) {
      if (snapshot.VolumeId && snapshot.State !== 'error') done.add(snapshot.VolumeId);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return done;
}

/** A live snapshot of this volume made for this finding, if any. */
async function snapshotFor(ec2: EC2Client, volumeId: string, findingId: string): Promise<string | undefined> {
  const found = await volumesAlreadySnapshotted(ec2, [volumeId], findingId);
  if (!found.has(volumeId)) return undefined;
  const { DescribeSnapshotsCommand } = await sdk.ec2();
  const page = await ec2.send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [
        { Name: `tag:${FINDING_TAG}`, Values: [tagValue(findingId)] },
        { Name: 'volume-id', Values: [volumeId] },
      ],
    }),
  );
  return page.Snapshots?.find((s) => s.State !== 'error')?.SnapshotId;
}

/** Errors after which the request may or may not have been carried out, and a retry may pass. */
function mayPassOnRetry(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    Boolean(e.$retryable) ||
    (typeof status === 'number' && (status >= 500 || status === 429)) ||
    /Throttl|RequestLimitExceeded|Timeout|InternalError|Unavailable/.test(e.name ?? '') ||
    /^E(CONNRESET|PIPE|TIMEDOUT|CONNREFUSED|AI_AGAIN)$/.test(e.code ?? '') ||
    e.name === 'Error'
  );
}

const CREATE_ATTEMPTS = 3;

/**
 * CreateSnapshot takes no client token, so a resend after a lost response
 * would make a second snapshot. The SDK is told not to resend it (one attempt
 * per call); after a failure the bot looks for the snapshot this finding's
 * tags name, and only when there is none tries again.
 */
async function createSnapshotOnce(
  ec2: EC2Client,
  once: EC2Client,
  input: { VolumeId: string; Description: string; TagSpecifications: Array<{ ResourceType: 'snapshot'; Tags: Tag[] }> },
  findingId: string,
): Promise<{ SnapshotId?: string | undefined }> {
  const { CreateSnapshotCommand } = await sdk.ec2();
  for (let attempt = 1; ; attempt++) {
    try {
      return await once.send(new CreateSnapshotCommand(input));
    } catch (error) {
      if (!mayPassOnRetry(error)) throw error;
      const made = await snapshotFor(ec2, input.VolumeId, findingId);
      if (made) return { SnapshotId: made };
      if (attempt >= CREATE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

function snapshotTags(ctx: BotContext, instanceId: string, volume: AttachedVolume): Tag[] {
  return [
    { Key: 'cloudmend:created-by', Value: BOT_NAME },
    { Key: FINDING_TAG, Value: tagValue(ctx.finding.id) },
    { Key: 'cloudmend:rule', Value: tagValue(ctx.finding.rule) },
    { Key: 'cloudmend:source-instance', Value: instanceId },
    { Key: 'cloudmend:source-volume', Value: volume.volumeId },
    { Key: 'cloudmend:source-device', Value: volume.device },
  ];
}

function snapshotDescription(ctx: BotContext, instanceId: string, volume: AttachedVolume): string {
  const text =
    `cloudmend ${BOT_NAME}: ${volume.volumeId} (${volume.device}) of ${instanceId}, ` +
    `rule "${ctx.finding.rule}", finding ${ctx.finding.id}`;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 3)}...`;
}

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: 'Snapshot every EBS volume attached to the instance',
    description:
      'Creates one snapshot per EBS volume attached to the instance (each crash-consistent on its own, not across ' +
      'volumes), described with the rule and finding that asked for it and tagged cloudmend:source-instance, ' +
      'cloudmend:source-volume, cloudmend:source-device, cloudmend:rule and cloudmend:finding-id. A volume that ' +
      'already has a snapshot tagged with the same finding id is left alone, so a retried event never snapshots ' +
      'twice; a new finding snapshots again. CreateSnapshot takes no client token, so it is never resent blindly: ' +
      'after a lost response the bot looks for the tagged snapshot before trying again. The instance itself is not touched.',
    resourceTypes: ['AWS::EC2::Instance'],
    remediates: { guardduty: COMPROMISED_INSTANCE_FINDINGS },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeInstances', 'ec2:DescribeSnapshots'],
        resources: ['*'],
        reason: "find the instance's volumes and earlier snapshots for this finding (no resource-level permissions)",
      },
      {
        // CreateSnapshot authorizes both the volume (only those attached to the instance) and the new snapshot (no id yet).
        actions: ['ec2:CreateSnapshot'],
        resources: [VOLUME_ARN, SNAPSHOT_ARN],
        reason: 'snapshot each attached volume',
      },
      {
        actions: ['ec2:CreateTags'],
        resources: [SNAPSHOT_ARN],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } },
        reason: 'tag the snapshots as they are created (only as part of CreateSnapshot)',
      },
    ],
    undo: {
      'forensic-snapshot': {
        reversible: false,
        why: 'the snapshot is evidence taken for the finding: undo never deletes it; delete it by hand once the investigation no longer needs it',
      },
    },
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; its volumes are no longer attached`);

    const volumes: AttachedVolume[] = (instance.BlockDeviceMappings ?? []).flatMap((m) =>
      m.Ebs?.VolumeId ? [{ volumeId: m.Ebs.VolumeId, device: m.DeviceName ?? 'unknown device' }] : [],
    );
    if (volumes.length === 0) return skipped(`instance ${instanceId} has no EBS volume attached; nothing to snapshot`);

    const done = await volumesAlreadySnapshotted(
      ec2,
      volumes.map((v) => v.volumeId),
      ctx.finding.id,
    );
    const changes = new ChangeSet(ctx);
    const created: string[] = [];
    const pending = volumes.filter((v) => !done.has(v.volumeId));
    // Sessions naming the volumes still to snapshot, a dozen at a time (AssumeRole's policy size limit).
    const writerFor = batchedWriters(
      ctx,
      EC2Client,
      ec2,
      'volumeId',
      pending.map((v) => v.volumeId),
      VOLUMES_PER_SESSION,
      {},
      // Never resent blindly when a response is lost: createSnapshotOnce looks for the snapshot first.
      { maxAttempts: 1 },
    );
    for (const volume of pending) {
      const snapshot = await changes.apply(
        {
          action: 'ec2:CreateSnapshot',
          target: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:volume/${volume.volumeId}`,
          description: `snapshot of ${volume.volumeId} (${volume.device}) of ${instanceId} for finding ${ctx.finding.id}`,
          undo: { kind: 'forensic-snapshot', before: null, after: null },
        },
        async () =>
          createSnapshotOnce(
            ec2,
            await writerFor(volume.volumeId),
            {
              VolumeId: volume.volumeId,
              Description: snapshotDescription(ctx, instanceId, volume),
              TagSpecifications: [{ ResourceType: 'snapshot', Tags: snapshotTags(ctx, instanceId, volume) }],
            },
            ctx.finding.id,
          ),
      );
      if (snapshot?.SnapshotId) created.push(`${snapshot.SnapshotId} of ${volume.volumeId}`);
    }
    const skippedNote = done.size > 0 ? `; ${done.size} volume(s) already had one for this finding` : '';
    return changes.result(
      `snapshotted ${changes.size} volume(s) of ${instanceId}${created.length ? `: ${created.join(', ')}` : ''}${skippedNote}`,
      `every EBS volume of ${instanceId} already has a snapshot for finding ${ctx.finding.id}`,
    );
  },
});
