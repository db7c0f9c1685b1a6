import { z } from 'zod';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { NetworkAclEntry } from '@aws-sdk/client-ec2';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot, recordedAfter, type BotContext, type UndoContext } from '../types';
import { ARN, describeAcl, describeEntry, ec2Arn, requireId } from './network';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const NAME = 'acl_revert_modification';
const ENTRY_KIND = 'network-acl-entry';
const ENTRY_EVENTS = ['CreateNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAclEntry'] as const;
type EntryEvent = (typeof ENTRY_EVENTS)[number];

/** A network ACL entry as CloudTrail records it in requestParameters. */
interface EventEntry {
  networkAclId: string;
  ruleNumber: number;
  egress: boolean;
  ruleAction?: string;
  aclProtocol?: string;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from?: number | undefined; to?: number | undefined };
  icmpTypeCode?: { code?: number | undefined; type?: number | undefined };
}

export interface AclEvent {
  name: EntryEvent;
  time?: Date;
  entry: EventEntry;
}

const eventSchema = z.object({
  eventName: z.enum(ENTRY_EVENTS),
  eventTime: z.string().optional(),
  requestParameters: z.looseObject({
    networkAclId: z.string(),
    ruleNumber: z.coerce.number().int(),
    egress: flagParam,
    ruleAction: z.string().optional(),
    aclProtocol: z.coerce.string().optional(),
    cidrBlock: z.string().optional(),
    ipv6CidrBlock: z.string().optional(),
    portRange: z.object({ from: z.coerce.number().optional(), to: z.coerce.number().optional() }).optional(),
    icmpTypeCode: z.object({ code: z.coerce.number().optional(), type: z.coerce.number().optional() }).optional(),
  }),
});

/** A CloudTrail record in any of the shapes a finding carries it: the record, an EventBridge `detail`, a LookupEvents `CloudTrailEvent` string. */
export function parseAclEvent(record: unknown): AclEvent | undefined {
  const candidates: unknown[] = [record];
  if (record && typeof record === 'object') {
    const r = record as { detail?: unknown; CloudTrailEvent?: unknown; event?: unknown };
    candidates.push(r.detail, r.event);
    if (typeof r.CloudTrailEvent === 'string') {
      try {
        candidates.push(JSON.parse(r.CloudTrailEvent));
      } catch {
        // not JSON: not an event
      }
    }
  }
  for (const candidate of candidates) {
    const parsed = eventSchema.safeParse(candidate);
    if (!parsed.success) continue;
    const { eventName, eventTime, requestParameters: p } = parsed.data;
    const entry: EventEntry = { networkAclId: p.networkAclId, ruleNumber: p.ruleNumber, egress: p.egress };
    if (p.ruleAction !== undefined) entry.ruleAction = p.ruleAction;
    if (p.aclProtocol !== undefined) entry.aclProtocol = p.aclProtocol;
    if (p.cidrBlock !== undefined) entry.cidrBlock = p.cidrBlock;
    if (p.ipv6CidrBlock !== undefined) entry.ipv6CidrBlock = p.ipv6CidrBlock;
    if (p.portRange) entry.portRange = p.portRange;
    if (p.icmpTypeCode) entry.icmpTypeCode = p.icmpTypeCode;
    return { name: eventName, ...(eventTime ? { time: new Date(eventTime) } : {}), entry };
  }
  return undefined;
}

/** Does the ACL's entry now say what the event wrote? */
function sameEntry(current: NetworkAclEntry, written: EventEntry): boolean {
  const ports = written.portRange;
  const icmp = written.icmpTypeCode;
  return (
    current.RuleAction === written.ruleAction &&
    current.Protocol === written.aclProtocol &&
    (current.CidrBlock ?? undefined) === written.cidrBlock &&
    (current.Ipv6CidrBlock ?? undefined) === written.ipv6CidrBlock &&
    (ports === undefined || (current.PortRange?.From === ports.from && current.PortRange?.To === ports.to)) &&
    (icmp === undefined || (current.IcmpTypeCode?.Type === icmp.type && current.IcmpTypeCode?.Code === icmp.code))
  );
}

/** The entry as EC2's Create/ReplaceNetworkAclEntry take it. */
function entryInput(aclId: string, entry: EventEntry) {
  return {
    NetworkAclId: aclId,
    RuleNumber: entry.ruleNumber,
    Egress: entry.egress,
    RuleAction: entry.ruleAction === 'deny' ? ('deny' as const) : ('allow' as const),
    Protocol: entry.aclProtocol ?? '-1',
    ...(entry.cidrBlock ? { CidrBlock: entry.cidrBlock } : {}),
    ...(entry.ipv6CidrBlock ? { Ipv6CidrBlock: entry.ipv6CidrBlock } : {}),
    ...(entry.portRange ? { PortRange: { From: entry.portRange.from, To: entry.portRange.to } } : {}),
    ...(entry.icmpTypeCode ? { IcmpTypeCode: { Code: entry.icmpTypeCode.code, Type: entry.icmpTypeCode.type } } : {}),
  };
}

function describeEventEntry(entry: EventEntry): string {
  return describeEntry({
    RuleNumber: entry.ruleNumber,
    Egress: entry.egress,
    RuleAction: entry.ruleAction === 'deny' ? 'deny' : 'allow',
    Protocol: entry.aclProtocol,
    CidrBlock: entry.cidrBlock,
    Ipv6CidrBlock: entry.ipv6CidrBlock,
    ...(entry.portRange ? { PortRange: { From: entry.portRange.from, To: entry.portRange.to } } : {}),
    ...(entry.icmpTypeCode ? { IcmpTypeCode: { Code: entry.icmpTypeCode.code, Type: entry.icmpTypeCode.type } } : {}),
  });
}

/**
 * The entry as it was before `event`: the latest earlier Create/ReplaceNetworkAclEntry
 * of the same rule number and direction on the ACL, from CloudTrail event history (90 days).
 */
async function entryBefore(ctx: Pick<BotContext, 'client'>, event: AclEvent): Promise<EventEntry | undefined> {
  const { CloudTrailClient, paginateLookupEvents } = await sdk.cloudTrail();
  const cloudtrail: CloudTrailClient = ctx.client(CloudTrailClient);
  const input = {
    LookupAttributes: [{ AttributeKey: 'ResourceName' as const, AttributeValue: event.entry.networkAclId }],
    ...(event.time ? { EndTime: new Date(event.time.getTime() - 1) } : {}),
  };
  // LookupEvents answers newest first.
  for await (const page of paginateLookupEvents({ client: cloudtrail }, input)) {
    for (const record of page.Events ?? []) {
      const earlier = parseAclEvent(record);
      if (!earlier || earlier.name === 'DeleteNetworkAclEntry') continue;
      if (earlier.entry.ruleNumber !== event.entry.ruleNumber || earlier.entry.egress !== event.entry.egress) continue;
      if (earlier.entry.networkAclId !== event.entry.networkAclId) continue;
      return earlier.entry;
    }
  }
  return undefined;
}

/** One entry of the ACL as undo records and compares it: what it allows, its number and direction; no fields that do not apply. */
interface EntryState {
  ruleAction: string;
  protocol: string;
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from?: number; to?: number };
  icmpTypeCode?: { type?: number; code?: number };
}

/** The entry of one rule number and direction, or null when there is none: the state of one change of this bot. */
interface EntrySlot {
  ruleNumber: number;
  egress: boolean;
  entry: EntryState | null;
}

function entryState(entry: NetworkAclEntry): EntryState {
  const protocol = entry.Protocol ?? '-1';
  const state: EntryState = { ruleAction: entry.RuleAction ?? 'allow', protocol };
  if (entry.CidrBlock) state.cidrBlock = entry.CidrBlock;
  if (entry.Ipv6CidrBlock) state.ipv6CidrBlock = entry.Ipv6CidrBlock;
  // Ports only mean something for TCP and UDP, ICMP type and code for ICMP: EC2 may echo either back for other protocols.
  if ((protocol === '6' || protocol === '17') && entry.PortRange) {
    state.portRange = {
      ...(entry.PortRange.From !== undefined ? { from: entry.PortRange.From } : {}),
      ...(entry.PortRange.To !== undefined ? { to: entry.PortRange.To } : {}),
    };
  }
  if ((protocol === '1' || protocol === '58') && entry.IcmpTypeCode) {
    const { Type, Code } = entry.IcmpTypeCode;
    state.icmpTypeCode = { ...(Type !== undefined ? { type: Type } : {}), ...(Code !== undefined ? { code: Code } : {}) };
  }
  return state;
}

/** An entry as this bot writes it (entryInput), in the form DescribeNetworkAcls reads it back. */
function writtenState(entry: EventEntry): EntryState {
  return entryState(entryInput('', entry));
}

function slotChange(ruleNumber: number, egress: boolean, before: EntryState | null, after: EntryState | null) {
  return { kind: ENTRY_KIND, before: { ruleNumber, egress, entry: before }, after: { ruleNumber, egress, entry: after } };
}

async function readSlot(ctx: UndoContext): Promise<EntrySlot> {
  const { EC2Client } = await sdk.ec2();
  const { ruleNumber, egress } = recordedAfter<EntrySlot>(ctx);
  const aclId = ctx.target.slice(ctx.target.lastIndexOf('/') + 1);
  const acl = await describeAcl(ctx.client(EC2Client), aclId);
  if (!acl) throw new Error(`undo of ${ctx.target}: the network ACL no longer exists`);
  const current = acl.Entries?.find((e) => e.RuleNumber === ruleNumber && Boolean(e.Egress) === egress);
  return { ruleNumber, egress, entry: current ? entryState(current) : null };
}

/** Puts the entry of the recorded rule number and direction back as it was: deleted, recreated or replaced back. */
async function writeSlot(ctx: UndoContext, state: unknown): Promise<void> {
  const { EC2Client, CreateNetworkAclEntryCommand, DeleteNetworkAclEntryCommand, ReplaceNetworkAclEntryCommand } = await sdk.ec2();
  const ec2 = ctx.client(EC2Client);
  const NetworkAclId = ctx.target.slice(ctx.target.lastIndexOf('/') + 1);
  const { ruleNumber, egress, entry } = state as EntrySlot;
  // Undo has just read the entry as the remediation left it: the recorded `after`.
  const now = recordedAfter<EntrySlot>(ctx).entry;
  const id = { NetworkAclId, RuleNumber: ruleNumber, Egress: egress };
  if (!entry) {
    if (now) await ec2.send(new DeleteNetworkAclEntryCommand(id));
    return;
  }
  const input = {
    ...id,
    RuleAction: entry.ruleAction === 'deny' ? ('deny' as const) : ('allow' as const),
    Protocol: entry.protocol,
    ...(entry.cidrBlock ? { CidrBlock: entry.cidrBlock } : {}),
    ...(entry.ipv6CidrBlock ? { Ipv6CidrBlock: entry.ipv6CidrBlock } : {}),
    ...(entry.portRange ? { PortRange: { From: entry.portRange.from, To: entry.portRange.to } } : {}),
    ...(entry.icmpTypeCode ? { IcmpTypeCode: { Type: entry.icmpTypeCode.type, Code: entry.icmpTypeCode.code } } : {}),
  };
  if (now) await ec2.send(new ReplaceNetworkAclEntryCommand(input));
  else await ec2.send(new CreateNetworkAclEntryCommand(input));
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Undo the network ACL entry change named by the CloudTrail event of the finding',
    description:
      'Reads the CloudTrail event the finding carries (CreateNetworkAclEntry, ReplaceNetworkAclEntry or ' +
      'DeleteNetworkAclEntry, as the record, an EventBridge `detail` or a LookupEvents `CloudTrailEvent`) and reverses it on ' +
      "the finding's ACL: a created entry is deleted; a replaced or deleted entry is put back as the latest earlier " +
      'Create/ReplaceNetworkAclEntry event for that rule number and direction in CloudTrail event history (90 days) ' +
      'wrote it. The entry is changed only while it still reads as the event left it; otherwise, and when the finding ' +
      'carries no such event or history holds no earlier state, the bot changes nothing and says why (skipped). An ' +
      'entry already as it was is already compliant. No other entry is touched. The entry as the revert found it is recorded, ' +
      'and `cloudmend undo` puts it back (the event’s change, applied again).',
    resourceTypes: ['AWS::EC2::NetworkAcl'],
    params: z.strictObject({}),
    permissions: [
      { actions: ['ec2:DescribeNetworkAcls'], resources: ['*'], reason: 'read the entries of the ACL (no resource-level permissions)' },
      {
        actions: ['ec2:DeleteNetworkAclEntry', 'ec2:CreateNetworkAclEntry', 'ec2:ReplaceNetworkAclEntry'],
        resources: [ARN.networkAcl('resourceId')],
        reason: 'delete, recreate or replace back the one entry the event changed, on this ACL only',
      },
      {
        actions: ['cloudtrail:LookupEvents'],
        resources: ['*'],
        reason: 'find the entry as it was before a replace or delete in CloudTrail event history (no resource-level permissions)',
      },
    ],
    undo: {
      [ENTRY_KIND]: {
        reversible: true,
        how: 'puts the entry of that rule number and direction back as the revert found it (the change the event made, applied again): recreated, replaced back or deleted',
        permissions: [
          {
            actions: ['ec2:DescribeNetworkAcls'],
            resources: ['*'],
            reason: 'undo: read the entries of the ACL (no resource-level permissions)',
          },
          {
            actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAclEntry', 'ec2:ReplaceNetworkAclEntry'],
            resources: [ARN.networkAcl('resourceId')],
            reason: 'undo: put the one reverted entry back, on this ACL only',
          },
        ],
      },
    },
  },
  undoers: { [ENTRY_KIND]: { read: readSlot, write: writeSlot } },
  async run(ctx) {
    const aclId = requireId(ctx, 'network-acl', NAME);
    const event = parseAclEvent(ctx.finding.raw) ?? parseAclEvent(ctx.finding.resource.raw);
    if (!event) {
      return skipped(
        `the finding carries no CloudTrail ${ENTRY_EVENTS.join(', ')} event with its requestParameters; ` +
          `there is nothing to revert on ${aclId} (run ${NAME} on CloudTrail event findings)`,
      );
    }
    if (event.entry.networkAclId !== aclId) {
      return skipped(`the event changed ${event.entry.networkAclId}, not the finding's ACL ${aclId}; nothing reverted`);
    }
    const { EC2Client, CreateNetworkAclEntryCommand, DeleteNetworkAclEntryCommand, ReplaceNetworkAclEntryCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const acl = await describeAcl(ec2, aclId);
    if (!acl) return alreadyCompliant(`network ACL ${aclId} no longer exists`);
    const { ruleNumber, egress } = event.entry;
    const rule = `entry #${ruleNumber} (${egress ? 'outbound' : 'inbound'}) of ${aclId}`;
    const current = acl.Entries?.find((e) => e.RuleNumber === ruleNumber && Boolean(e.Egress) === egress);
    const target = ec2Arn(ctx, 'network-acl', aclId);
    const changes = new ChangeSet(ctx);

    if (event.name === 'CreateNetworkAclEntry') {
      if (!current) return alreadyCompliant(`${rule}, created by the event, is already gone`);
      if (!sameEntry(current, event.entry)) {
        return skipped(`${rule} changed after the event (now ${describeEntry(current)}); not deleting an entry the event did not leave`);
      }
      await changes.apply(
        {
          action: 'ec2:DeleteNetworkAclEntry',
          target,
          description: `deleted ${describeEntry(current)}, created by the event`,
          undo: slotChange(ruleNumber, egress, entryState(current), null),
        },
        () => ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: ruleNumber, Egress: egress })),
      );
      return changes.result(`reverted CreateNetworkAclEntry: deleted ${rule}`);
    }

    if (event.name === 'ReplaceNetworkAclEntry' && (!current || !sameEntry(current, event.entry))) {
      return skipped(`${rule} changed after the replace (now ${current ? describeEntry(current) : 'absent'}); nothing reverted`);
    }
    const before = await entryBefore(ctx, event);
    if (!before) {
      return skipped(
        `CloudTrail event history holds no earlier CreateNetworkAclEntry or ReplaceNetworkAclEntry for ${rule}, so the entry as it ` +
          `was before the ${event.name} is unknown; nothing reverted`,
      );
    }
    if (current && sameEntry(current, before)) return alreadyCompliant(`${rule} is already ${describeEventEntry(before)}`);
    if (event.name === 'DeleteNetworkAclEntry') {
      if (current) return skipped(`${rule} was recreated after the delete (now ${describeEntry(current)}); nothing reverted`);
      await changes.apply(
        {
          action: 'ec2:CreateNetworkAclEntry',
          target,
          description: `recreated ${describeEventEntry(before)}, deleted by the event`,
          undo: slotChange(ruleNumber, egress, null, writtenState(before)),
        },
        () => ec2.send(new CreateNetworkAclEntryCommand(entryInput(aclId, before))),
      );
      return changes.result(`reverted DeleteNetworkAclEntry: recreated ${rule}`);
    }
    await changes.apply(
      {
        action: 'ec2:ReplaceNetworkAclEntry',
        target,
        description: `${current ? describeEntry(current) : rule} -> ${describeEventEntry(before)}, as before the event`,
        undo: slotChange(ruleNumber, egress, current ? entryState(current) : null, writtenState(before)),
      },
      () => ec2.send(new ReplaceNetworkAclEntryCommand(entryInput(aclId, before))),
    );
    return changes.result(`reverted ReplaceNetworkAclEntry: ${rule} is back to ${describeEventEntry(before)}`);
  },
});
