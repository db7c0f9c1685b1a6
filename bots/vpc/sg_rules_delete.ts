import { z } from 'zod';
import type { EC2Client, SecurityGroup, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { ChangeSet, alreadyCompliant } from '../changes';
import { defineBot } from '../types';
import { isGroupNotFound, requireSecurityGroupId, securityGroupArn } from './security-group-id';
import { describeRule } from './security-group-rule-text';
import { EGRESS_KIND, INGRESS_KIND, ruleState, SECURITY_GROUP_RULES_UNDO, securityGroupUndoers, sortedRules } from './security-group-undo';
import { sdk } from '../sdk';

const NAME = 'sg_rules_delete';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove every inbound and outbound rule of the security group',
    description:
      'Revokes all ingress and egress rules of the group, by rule id, one call per direction, so each direction goes ' +
      'all at once or not at all. Every removed rule is reported in the changes (protocol, ports, peer, description) ' +
      'and logged before removal, so it can be restored. The group itself and its attachments are left in place; ' +
      'on a VPC default group this is the state CIS recommends. This cuts all traffic of everything using the group, ' +
      'yet it is not marked destructive: nothing is deleted beyond recreation, and CloudBots users run it without ' +
      'an opt-in (sg_delete, which deletes the group, is destructive). A group without rules, or one that no longer ' +
      'exists, is already compliant.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    remediates: { securityHub: ['EC2.2', 'CIS.4.3', 'PCI.EC2.2'], config: ['vpc-default-security-group-closed'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
        resources: ['*'],
        reason: 'read the group and list its rules (Describe actions support no resource-level permissions)',
      },
      {
        actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
        resources: ['arn:{partition}:ec2:{region}:{account}:security-group/{resourceId}'],
        reason: 'remove the inbound and outbound rules of the group',
      },
    ],
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const groupId = requireSecurityGroupId(ctx.finding.resource.id, NAME);
    const { EC2Client, RevokeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);

    const group = await findGroup(ec2, groupId);
    if (!group) return alreadyCompliant(`security group ${groupId} does not exist, so it has no rules`);
    const label = `${groupId} (${group.GroupName ?? 'unnamed'})`;
    const rules = await rulesOf(ec2, groupId);
    if (rules.length > 0) ctx.log.info('security group rules before removal', { groupId, rules });

    const target = securityGroupArn(ctx.partition, ctx.region, ctx.account, groupId);
    const changes = new ChangeSet(ctx);
    const ingress = rules.filter((rule) => !rule.IsEgress);
    const egress = rules.filter((rule) => rule.IsEgress);
    if (ingress.length > 0) {
      await changes.apply(
        {
          action: 'ec2:RevokeSecurityGroupIngress',
          target,
          description: removalText('inbound', ingress, label),
          undo: { kind: INGRESS_KIND, before: sortedRules(ingress.map(ruleState)), after: [] },
        },
        async () =>
          requireSuccess(
            await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: idsOf(ingress) })),
            'inbound',
            label,
          ),
      );
    }
    if (egress.length > 0) {
      await changes.apply(
        {
          action: 'ec2:RevokeSecurityGroupEgress',
          target,
          description: removalText('outbound', egress, label),
          undo: { kind: EGRESS_KIND, before: sortedRules(egress.map(ruleState)), after: [] },
        },
        async () =>
          requireSuccess(
            await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, SecurityGroupRuleIds: idsOf(egress) })),
            'outbound',
            label,
          ),
      );
    }
    return changes.result(
      `removed ${count(ingress.length, 'inbound rule')} and ${count(egress.length, 'outbound rule')} from ${label}`,
      `security group ${label} has no rules`,
    );
  },
});

async function findGroup(ec2: EC2Client, groupId: string): Promise<SecurityGroup | undefined> {
  const { DescribeSecurityGroupsCommand } = await sdk.ec2();
  try {
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    return SecurityGroups?.find((g) => g.GroupId === groupId);
  } catch (error) {
    if (isGroupNotFound(error)) return undefined;
    throw error;
  }
}

async function rulesOf(ec2: EC2Client, groupId: string): Promise<SecurityGroupRule[]> {
  const { paginateDescribeSecurityGroupRules } = await sdk.ec2();
  const rules: SecurityGroupRule[] = [];
  for await (const page of paginateDescribeSecurityGroupRules({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: [groupId] }] })) {
    rules.push(...(page.SecurityGroupRules ?? []).filter((rule) => rule.GroupId === groupId));
  }
  return rules;
}

function idsOf(rules: SecurityGroupRule[]): string[] {
  return rules.flatMap((rule) => (rule.SecurityGroupRuleId ? [rule.SecurityGroupRuleId] : []));
}

function removalText(direction: string, rules: SecurityGroupRule[], label: string): string {
  return `removed ${count(rules.length, `${direction} rule`)} from ${label}: ${rules.map(describeRule).join('; ')}`;
}

/** EC2 answers some partial failures with Return=false instead of an error; never report those as done. */
function requireSuccess<T extends { Return?: boolean | undefined }>(output: T, direction: string, label: string): T {
  if (output.Return === false) throw new Error(`EC2 did not revoke the ${direction} rules of ${label} (Return=false)`);
  return output;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
