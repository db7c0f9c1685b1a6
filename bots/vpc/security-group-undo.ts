/**
 * Undo for removed security group rules: the rules of one direction as they
 * were, without their ids (a restored rule gets a new one), so "before" and
 * "after" compare by what the rules allow.
 */
import type { EC2Client, IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import type { Undoer, UndoKind } from '../types';
import { sdk } from '../sdk';

export const INGRESS_KIND = 'security-group-ingress';
export const EGRESS_KIND = 'security-group-egress';

/** What a rule allows, as recorded in a change and compared on undo. */
export interface RuleState {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  description?: string;
}

export function ruleState(rule: SecurityGroupRule): RuleState {
  const state: RuleState = { protocol: rule.IpProtocol ?? '-1' };
  if (rule.FromPort !== undefined) state.fromPort = rule.FromPort;
  if (rule.ToPort !== undefined) state.toPort = rule.ToPort;
  if (rule.CidrIpv4) state.cidrIpv4 = rule.CidrIpv4;
  if (rule.CidrIpv6) state.cidrIpv6 = rule.CidrIpv6;
  if (rule.PrefixListId) state.prefixListId = rule.PrefixListId;
  if (rule.ReferencedGroupInfo?.GroupId) state.referencedGroupId = rule.ReferencedGroupInfo.GroupId;
  if (rule.Description) state.description = rule.Description;
  return state;
}

const RULE_KEYS: readonly (keyof RuleState)[] = [
  'protocol',
  'fromPort',
  'toPort',
  'cidrIpv4',
  'cidrIpv6',
  'prefixListId',
  'referencedGroupId',
  'description',
];

/** The rule with its fields in one order, so a rule built by a bot and the same rule read back stringify alike. */
export function canonicalRule(rule: RuleState): RuleState {
  const out: Record<string, unknown> = {};
  for (const key of RULE_KEYS) if (rule[key] !== undefined) out[key] = rule[key];
  return out as unknown as RuleState;
}

/** A stable order (and field order), so two reads of the same rules compare equal. */
export function sortedRules(rules: RuleState[]): RuleState[] {
  return rules.map(canonicalRule).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

export function permissionOf(rule: RuleState): IpPermission {
  const Description = rule.description;
  const withNote = <T extends object>(value: T) => (Description ? { ...value, Description } : value);
  return {
    IpProtocol: rule.protocol,
    ...(rule.protocol === '-1' ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort }),
    ...(rule.cidrIpv4 ? { IpRanges: [withNote({ CidrIp: rule.cidrIpv4 })] } : {}),
    ...(rule.cidrIpv6 ? { Ipv6Ranges: [withNote({ CidrIpv6: rule.cidrIpv6 })] } : {}),
    ...(rule.prefixListId ? { PrefixListIds: [withNote({ PrefixListId: rule.prefixListId })] } : {}),
    ...(rule.referencedGroupId ? { UserIdGroupPairs: [withNote({ GroupId: rule.referencedGroupId })] } : {}),
  };
}

function groupIdOf(target: string): string {
  return target.slice(target.lastIndexOf('/') + 1);
}

async function rawRulesOf(ec2: EC2Client, groupId: string, egress: boolean): Promise<SecurityGroupRule[]> {
  const { paginateDescribeSecurityGroupRules } = await sdk.ec2();
  const rules: SecurityGroupRule[] = [];
  for await (const page of paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: [groupId] }] })) {
    for (const rule of page.SecurityGroupRules ?? []) if (rule.GroupId === groupId && Boolean(rule.IsEgress) === egress) rules.push(rule);
  }
  return rules;
}

async function rulesOf(ec2: EC2Client, groupId: string, egress: boolean): Promise<RuleState[]> {
  return sortedRules((await rawRulesOf(ec2, groupId, egress)).map(ruleState));
}

function undoerFor(egress: boolean): Undoer {
  return {
    async read(ctx) {
      const { EC2Client } = await sdk.ec2();
      return rulesOf(ctx.client(EC2Client), groupIdOf(ctx.target), egress);
    },
    /**
     * Puts the direction's rules back to `state`: authorizes the rules missing,
     * then revokes, by id, the rules the remediation added (a split range, a new
     * scope). Undo has already checked the rules read as the remediation left them.
     */
    async write(ctx, state) {
      const {
        EC2Client,
        AuthorizeSecurityGroupIngressCommand,
        AuthorizeSecurityGroupEgressCommand,
        RevokeSecurityGroupIngressCommand,
        RevokeSecurityGroupEgressCommand,
      } = await sdk.ec2();
      const ec2 = ctx.client(EC2Client);
      const GroupId = groupIdOf(ctx.target);
      const wanted = (state as RuleState[]).map(canonicalRule);
      const raw = await rawRulesOf(ec2, GroupId, egress);
      const current = new Set(raw.map((r) => JSON.stringify(ruleState(r))));
      const missing = wanted.filter((rule) => !current.has(JSON.stringify(rule)));
      if (missing.length > 0) {
        const IpPermissions = missing.map(permissionOf);
        if (egress) await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions }));
        else await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
      }
      const keep = new Set(wanted.map((rule) => JSON.stringify(rule)));
      const extra = raw
        .filter((r) => !keep.has(JSON.stringify(ruleState(r))))
        .flatMap((r) => (r.SecurityGroupRuleId ? [r.SecurityGroupRuleId] : []));
      if (extra.length > 0) {
        const input = { GroupId, SecurityGroupRuleIds: extra };
        if (egress) await ec2.send(new RevokeSecurityGroupEgressCommand(input));
        else await ec2.send(new RevokeSecurityGroupIngressCommand(input));
      }
    },
  };
}

export const securityGroupUndoers: Record<string, Undoer> = { [INGRESS_KIND]: undoerFor(false), [EGRESS_KIND]: undoerFor(true) };

const GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/{resourceId}';

export const SECURITY_GROUP_RULES_UNDO: Record<string, UndoKind> = {
  [INGRESS_KIND]: {
    reversible: true,
    how: 'authorizes the removed inbound rules again (same protocol, ports, peer and description; new rule ids) and revokes any inbound rule the remediation added',
    permissions: [
      {
        actions: ['ec2:DescribeSecurityGroupRules'],
        resources: ['*'],
        reason: 'undo: read the rules of the group (no resource-level permissions)',
      },
      {
        actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
        resources: [GROUP_ARN],
        reason: 'undo: put back the removed inbound rules, and remove the ones the remediation added in their place',
      },
    ],
  },
  [EGRESS_KIND]: {
    reversible: true,
    how: 'authorizes the removed outbound rules again (same protocol, ports, peer and description; new rule ids) and revokes any outbound rule the remediation added',
    permissions: [
      {
        actions: ['ec2:DescribeSecurityGroupRules'],
        resources: ['*'],
        reason: 'undo: read the rules of the group (no resource-level permissions)',
      },
      {
        actions: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress'],
        resources: [GROUP_ARN],
        reason: 'undo: put back the removed outbound rules, and remove the ones the remediation added in their place',
      },
    ],
  },
};
