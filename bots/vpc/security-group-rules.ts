/**
 * What the rule-editing security group bots share (sg_single_rule_delete,
 * sg_rules_delete_by_scope, sg_delete_not_matching_cidr, sg_modify_scope_by_port,
 * sg_remove_world_open_admin_ports): their params, reading the finding's group
 * and its rules, matching rules by protocol, port and CIDR, and one edit per
 * direction made as "authorize the new rules, then revoke the old ones by id".
 *
 * Authorizing first means a failure halfway never leaves less access than the
 * bot meant to leave (a split range or a new scope is in place before the old
 * rule goes), and a retry finds the new rules present and only revokes. Each
 * write records the whole direction's rules before and after it, so undo
 * (security-group-undo.ts) can check nothing changed since and put them back.
 */
import { z } from 'zod';
import type { EC2Client, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { ChangeSet } from '../changes';
import { alreadyCompliant } from '../changes';
import type { BotContext, BotResult, Permission } from '../types';
import { isCidr } from './cidr';
import { isGroupNotFound, requireSecurityGroupId, securityGroupArn } from './security-group-id';
import { describeRule, describeTraffic } from './security-group-rule-text';
import { canonicalRule, EGRESS_KIND, INGRESS_KIND, permissionOf, ruleState, sortedRules, type RuleState } from './security-group-undo';
import { sdk } from '../sdk';

export type Direction = 'inbound' | 'outbound';

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const directionParam = z.preprocess(lower, z.enum(['inbound', 'outbound']));
export const portParam = z.coerce.number().int().min(0).max(65535);
export const anyPortParam = z.union([z.literal('*'), portParam]);

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', '-1': 'all', all: 'all' };
/** `TCP`, `tcp` and `6` name one protocol; `all` and `-1` mean every protocol. */
export function protocolName(protocol: string | undefined): string {
  const text = (protocol ?? '-1').trim().toLowerCase();
  return PROTOCOL_NAMES[text] ?? text;
}
export const protocolParam = z.preprocess(
  (v) => (typeof v === 'string' ? protocolName(v) : v),
  z.enum(['tcp', 'udp', 'icmp', 'icmpv6', 'all']),
);
export const anyProtocolParam = z.union([z.literal('*'), protocolParam]);
export const cidrParam = z.string().trim().refine(isCidr, 'a CIDR block: a.b.c.d/n, or an IPv6 block such as 2001:db8::/32 or ::/0');

export function isEgress(direction: Direction): boolean {
  return direction === 'outbound';
}

export function rulesIn(rules: readonly SecurityGroupRule[], direction: Direction): SecurityGroupRule[] {
  return rules.filter((rule) => Boolean(rule.IsEgress) === isEgress(direction));
}

/** The rule's IPv4 or IPv6 block; undefined for a rule naming a security group or a prefix list. */
export function ruleCidr(rule: SecurityGroupRule): string | undefined {
  return rule.CidrIpv4 ?? rule.CidrIpv6;
}

/** Whether the rule allows traffic to `port`: all-traffic rules cover every port; ICMP rules (types, not ports) none. */
export function coversPort(rule: SecurityGroupRule, port: number): boolean {
  const protocol = protocolName(rule.IpProtocol);
  if (protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== 'udp') return false;
  if (rule.FromPort === undefined || rule.FromPort === -1) return true;
  return rule.FromPort <= port && port <= (rule.ToPort ?? rule.FromPort);
}

/** The port ranges of `from`-`to` left once `ports` are taken out, in order. */
export function remainingRanges(from: number, to: number, ports: readonly number[]): Array<[number, number]> {
  const cut = [...new Set(ports)].filter((p) => p >= from && p <= to).sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  let start = from;
  for (const port of cut) {
    if (port > start) ranges.push([start, port - 1]);
    start = port + 1;
  }
  if (start <= to) ranges.push([start, to]);
  return ranges;
}

/** The same rule over other ports: protocol, peer and description kept. */
export function withPorts(rule: SecurityGroupRule, from: number, to: number): RuleState {
  return canonicalRule({ ...ruleState(rule), fromPort: from, toPort: to });
}

/** The same rule from another CIDR block (IPv4 or IPv6 by the block's family). */
export function withCidr(rule: SecurityGroupRule, cidr: string): RuleState {
  const { cidrIpv4: _v4, cidrIpv6: _v6, ...rest } = ruleState(rule);
  return canonicalRule(cidr.includes(':') ? { ...rest, cidrIpv6: cidr } : { ...rest, cidrIpv4: cidr });
}

export interface Group {
  groupId: string;
  /** `sg-0abc (web)`, for messages. */
  label: string;
  /** The group's ARN, every change's target. */
  target: string;
  rules: SecurityGroupRule[];
}

/** The finding's group and all its rules, or the already-compliant result when the group is gone. */
export async function readGroup(
  ctx: Pick<BotContext, 'finding' | 'partition' | 'region' | 'account' | 'log'>,
  ec2: EC2Client,
  botName: string,
): Promise<Group | BotResult> {
  const { DescribeSecurityGroupsCommand, paginateDescribeSecurityGroupRules } = await sdk.ec2();
  const groupId = requireSecurityGroupId(ctx.finding.resource.id, botName);
  let name: string | undefined;
  try {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const group = SecurityGroups?.find((g) => g.GroupId === groupId);
    if (!group) return alreadyCompliant(`security group ${groupId} does not exist, so it has no rules`);
    name = group.GroupName;
  } catch (error) {
    if (isGroupNotFound(error)) return alreadyCompliant(`security group ${groupId} does not exist, so it has no rules`);
    throw error;
  }
  const rules: SecurityGroupRule[] = [];
  for await (const page of paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: [groupId] }] })) {
    rules.push(...(page.SecurityGroupRules ?? []).filter((rule) => rule.GroupId === groupId));
  }
  return {
    groupId,
    label: `${groupId} (${name ?? 'unnamed'})`,
    target: securityGroupArn(ctx.partition, ctx.region, ctx.account, groupId),
    rules,
  };
}

export function isResult(value: Group | BotResult): value is BotResult {
  return 'status' in value;
}

/** A rule to be, as a person reads it: `inbound tcp ports 0-21 from 0.0.0.0/0 "ssh"`. */
export function describeState(state: RuleState, direction: Direction): string {
  const traffic = describeTraffic({ IpProtocol: state.protocol, FromPort: state.fromPort, ToPort: state.toPort });
  const peer = state.cidrIpv4 ?? state.cidrIpv6 ?? state.prefixListId ?? state.referencedGroupId ?? 'unknown peer';
  const note = state.description ? ` "${state.description}"` : '';
  return `${direction} ${traffic} ${direction === 'inbound' ? 'from' : 'to'} ${peer}${note}`;
}

/** What EC2 compares when it calls a rule a duplicate: everything but the description. */
function accessKey(state: RuleState): string {
  const { description: _description, ...access } = state;
  return JSON.stringify(access, Object.keys(access).sort());
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export interface RuleEdit {
  direction: Direction;
  /** Existing rules to remove (by id). */
  revoke: readonly SecurityGroupRule[];
  /** Rules to add first (a split range, a new scope); those the group already allows are left out. */
  authorize?: readonly RuleState[];
}

/**
 * Makes one direction's edit: authorize what is missing, then revoke by rule
 * id. Each write is a change whose undo records the direction's rules before
 * and after it. EC2 answers some partial failures with Return=false: never
 * reported as done.
 */
export async function applyEdit(
  ctx: Pick<BotContext, 'log'>,
  ec2: EC2Client,
  changes: ChangeSet,
  group: Group,
  edit: RuleEdit,
): Promise<void> {
  const {
    AuthorizeSecurityGroupEgressCommand,
    AuthorizeSecurityGroupIngressCommand,
    RevokeSecurityGroupEgressCommand,
    RevokeSecurityGroupIngressCommand,
  } = await sdk.ec2();
  const { direction, revoke } = edit;
  const egress = isEgress(direction);
  const kind = egress ? EGRESS_KIND : INGRESS_KIND;
  const current = rulesIn(group.rules, direction);
  const before = sortedRules(current.map(ruleState));
  const present = new Set(before.map(accessKey));
  const toAdd: RuleState[] = [];
  for (const state of edit.authorize ?? []) {
    if (present.has(accessKey(state))) continue;
    present.add(accessKey(state));
    toAdd.push(state);
  }
  const afterAdd = sortedRules([...before, ...toAdd]);
  if (toAdd.length > 0) {
    const IpPermissions = toAdd.map(permissionOf);
    await changes.apply(
      {
        action: egress ? 'ec2:AuthorizeSecurityGroupEgress' : 'ec2:AuthorizeSecurityGroupIngress',
        target: group.target,
        description: `added ${count(toAdd.length, `${direction} rule`)} to ${group.label}: ${toAdd.map((s) => describeState(s, direction)).join('; ')}`,
        undo: { kind, before, after: afterAdd },
      },
      async () => {
        const output = egress
          ? await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: group.groupId, IpPermissions }))
          : await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.groupId, IpPermissions }));
        if (output.Return === false) throw new Error(`EC2 did not authorize the ${direction} rules of ${group.label} (Return=false)`);
        return output;
      },
    );
  }
  if (revoke.length === 0) return;
  ctx.log.info('security group rules before removal', { groupId: group.groupId, rules: revoke });
  const remaining = [...afterAdd.map((s) => JSON.stringify(s))];
  for (const rule of revoke) {
    const index = remaining.indexOf(JSON.stringify(canonicalRule(ruleState(rule))));
    if (index >= 0) remaining.splice(index, 1);
  }
  const ids = revoke.flatMap((rule) => (rule.SecurityGroupRuleId ? [rule.SecurityGroupRuleId] : []));
  await changes.apply(
    {
      action: egress ? 'ec2:RevokeSecurityGroupEgress' : 'ec2:RevokeSecurityGroupIngress',
      target: group.target,
      description: `removed ${count(revoke.length, `${direction} rule`)} from ${group.label}: ${revoke.map(describeRule).join('; ')}`,
      undo: { kind, before: afterAdd, after: remaining.map((s) => JSON.parse(s) as RuleState) },
    },
    async () => {
      const input = { GroupId: group.groupId, SecurityGroupRuleIds: ids };
      const output = egress
        ? await ec2.send(new RevokeSecurityGroupEgressCommand(input))
        : await ec2.send(new RevokeSecurityGroupIngressCommand(input));
      if (output.Return === false) throw new Error(`EC2 did not revoke the ${direction} rules of ${group.label} (Return=false)`);
      return output;
    },
  );
}

const GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/{resourceId}';

/** Read any group's rules; write (revoke, and authorize when the bot re-adds rules) only on the finding's group, only in `directions`. */
export function ruleEditPermissions(authorizes: boolean, directions: readonly Direction[] = ['inbound', 'outbound']): Permission[] {
  const suffixes = directions.map((d) => (d === 'inbound' ? 'Ingress' : 'Egress'));
  return [
    {
      actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
      resources: ['*'],
      reason: 'read the group and list its rules (Describe actions support no resource-level permissions)',
    },
    {
      actions: suffixes.map((s) => `ec2:RevokeSecurityGroup${s}`),
      resources: [GROUP_ARN],
      reason: 'remove the matching rules of the group',
    },
    ...(authorizes
      ? [
          {
            actions: suffixes.map((s) => `ec2:AuthorizeSecurityGroup${s}`),
            resources: [GROUP_ARN],
            reason: 'add the replacement rules (the rest of a split port range, or the new scope) to the same group',
          },
        ]
      : []),
  ];
}
