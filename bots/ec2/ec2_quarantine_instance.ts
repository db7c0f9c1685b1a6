import { z } from 'zod';
import type { EC2Client, GroupIdentifier, InstanceNetworkInterface, SecurityGroup } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type BotContext } from '../types';
import { INSTANCE_ARN, describeInstance, instanceIdOf, isGone } from './instance';
import { COMPROMISED_INSTANCE_FINDINGS } from './compromised-instance-findings';

const BOT_NAME = 'ec2_quarantine_instance';
export const QUARANTINE_GROUP_NAME = 'cloudmend-quarantine';
const CREATED_BY_KEY = 'cloudmend:created-by';
const SECURITY_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/*';

type Ec2Context = Pick<BotContext, 'partition' | 'region' | 'account' | 'dryRun'>;

function arnOf(ctx: Ec2Context, kind: 'vpc' | 'security-group' | 'network-interface', id: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:${kind}/${id}`;
}

function createdByUs(group: SecurityGroup): boolean {
  return group.Tags?.some((t) => t.Key === CREATED_BY_KEY && t.Value === BOT_NAME) ?? false;
}

function describeGroups(groups: GroupIdentifier[]): string {
  return groups.map((g) => (g.GroupName ? `${g.GroupId} (${g.GroupName})` : g.GroupId)).join(', ') || 'no groups';
}

async function findQuarantineGroup(ec2: EC2Client, vpcId: string): Promise<SecurityGroup | undefined> {
  const { DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [QUARANTINE_GROUP_NAME] },
      ],
    }),
  );
  return SecurityGroups[0];
}

/**
 * Makes sure the VPC's quarantine group exists and has no rules; returns its id
 * (a placeholder in dry run when the group does not exist yet).
 */
async function ensureQuarantineGroup(
  ctx: Ec2Context,
  ec2: EC2Client,
  changes: ChangeSet,
  vpcId: string,
  existing: SecurityGroup | undefined,
): Promise<string> {
  const { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand } =
    await import('@aws-sdk/client-ec2');
  let group = existing;
  if (!group) {
    const created = await changes.apply(
      {
        action: 'ec2:CreateSecurityGroup',
        target: arnOf(ctx, 'vpc', vpcId),
        description: `created security group ${QUARANTINE_GROUP_NAME} in ${vpcId}, to hold no rules`,
      },
      () =>
        ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: QUARANTINE_GROUP_NAME,
            Description: `cloudmend quarantine: no inbound or outbound rules (${BOT_NAME})`,
            VpcId: vpcId,
            TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: CREATED_BY_KEY, Value: BOT_NAME }] }],
          }),
        ),
    );
    if (ctx.dryRun) {
      // The group is not really created, so its default egress rule can only be reported.
      const placeholder = `(new ${QUARANTINE_GROUP_NAME} in ${vpcId})`;
      await changes.apply(
        {
          action: 'ec2:RevokeSecurityGroupEgress',
          target: placeholder,
          description: 'revoked the allow-all egress rule every new group gets',
        },
        async () => undefined,
      );
      return placeholder;
    }
    if (!created?.GroupId) throw new Error(`CreateSecurityGroup in ${vpcId} returned no group id`);
    // A new group comes with allow-all egress (IPv6 too in some VPCs): read what it actually got.
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId] }));
    group = described.SecurityGroups?.[0] ?? { GroupId: created.GroupId };
  }
  const groupId = group.GroupId;
  if (!groupId) throw new Error(`security group ${QUARANTINE_GROUP_NAME} in ${vpcId} has no group id`);
  // Rules on our own group mean an interrupted earlier run or a hand edit: either way, quarantine means none.
  if (group.IpPermissions?.length) {
    const rules = group.IpPermissions;
    await changes.apply(
      {
        action: 'ec2:RevokeSecurityGroupIngress',
        target: arnOf(ctx, 'security-group', groupId),
        description: `revoked ${rules.length} ingress rule(s) of ${groupId}`,
      },
      () => ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: rules })),
    );
  }
  if (group.IpPermissionsEgress?.length) {
    const rules = group.IpPermissionsEgress;
    await changes.apply(
      {
        action: 'ec2:RevokeSecurityGroupEgress',
        target: arnOf(ctx, 'security-group', groupId),
        description: `revoked ${rules.length} egress rule(s) of ${groupId}`,
      },
      () => ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: rules })),
    );
  }
  return groupId;
}

export default defineBot({
  meta: {
    name: BOT_NAME,
    summary: "Replace every security group of the instance's network interfaces with a no-rule quarantine group",
    description:
      `Replaces the security groups of every network interface of the instance with ${QUARANTINE_GROUP_NAME}, a group ` +
      'with no inbound and no outbound rules, one per VPC, created on first use (its default allow-all egress rule ' +
      `revoked), tagged ${CREATED_BY_KEY}=${BOT_NAME} and reused afterwards. The groups removed from each interface are ` +
      'listed in the result so an operator can restore them. Refuses when a group of that name exists without the tag. ' +
      'Connections already tracked by the security groups may continue until they go idle; the instance keeps running.',
    resourceTypes: ['AWS::EC2::Instance'],
    remediates: { guardduty: COMPROMISED_INSTANCE_FINDINGS },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups'],
        resources: ['*'],
        reason: "read the instance's interfaces and find the quarantine group (no resource-level permissions)",
      },
      {
        actions: ['ec2:CreateSecurityGroup'],
        resources: ['arn:{partition}:ec2:{region}:{account}:vpc/*'],
        reason: 'create the quarantine group in the VPC of the instance',
      },
      {
        actions: ['ec2:CreateSecurityGroup'],
        resources: [SECURITY_GROUP_ARN],
        conditions: { StringEquals: { [`aws:RequestTag/${CREATED_BY_KEY}`]: BOT_NAME } },
        reason: 'create the quarantine group, only with its cloudmend tag',
      },
      {
        actions: ['ec2:CreateTags'],
        resources: [SECURITY_GROUP_ARN],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } },
        reason: 'tag the quarantine group as it is created (only as part of CreateSecurityGroup)',
      },
      {
        actions: ['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress'],
        resources: [SECURITY_GROUP_ARN],
        conditions: { StringEquals: { [`aws:ResourceTag/${CREATED_BY_KEY}`]: BOT_NAME } },
        reason: 'remove every rule from the quarantine group, and only from groups this bot created',
      },
      {
        // Interface ids are only known at run time; the instance and groups are checked too when an attached interface changes.
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: ['arn:{partition}:ec2:{region}:{account}:network-interface/*', SECURITY_GROUP_ARN, INSTANCE_ARN],
        reason: "set the quarantine group as the only security group of each of the instance's interfaces",
      },
    ],
  },
  async run(ctx) {
    const { EC2Client, ModifyNetworkInterfaceAttributeCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to quarantine`);
    const interfaces: InstanceNetworkInterface[] = instance.NetworkInterfaces ?? [];
    if (interfaces.length === 0) return skipped(`instance ${instanceId} has no network interface; nothing to quarantine`);

    // Interfaces of one instance may sit in different VPCs; a group only applies within its own VPC.
    const vpcOf = (eni: InstanceNetworkInterface): string => {
      const vpcId = eni.VpcId ?? instance.VpcId;
      if (!vpcId) throw new Error(`network interface ${eni.NetworkInterfaceId} of ${instanceId} has no VPC`);
      return vpcId;
    };
    const vpcIds = [...new Set(interfaces.map(vpcOf))];

    // Every read and refusal before the first write, so a refusal leaves nothing half done.
    const existing = new Map<string, SecurityGroup | undefined>();
    for (const vpcId of vpcIds) {
      const group = await findQuarantineGroup(ec2, vpcId);
      if (group && !createdByUs(group)) {
        return skipped(
          `security group ${group.GroupId} in ${vpcId} is named ${QUARANTINE_GROUP_NAME} but lacks the tag ` +
            `${CREATED_BY_KEY}=${BOT_NAME}; not using a group cloudmend did not create as a quarantine: rename or tag it`,
        );
      }
      existing.set(vpcId, group);
    }

    const changes = new ChangeSet(ctx);
    const quarantineOf = new Map<string, string>();
    for (const vpcId of vpcIds) {
      quarantineOf.set(vpcId, await ensureQuarantineGroup(ctx, ec2, changes, vpcId, existing.get(vpcId)));
    }

    const removed: string[] = [];
    for (const eni of interfaces) {
      const eniId = eni.NetworkInterfaceId;
      const quarantineId = quarantineOf.get(vpcOf(eni));
      if (!eniId || !quarantineId) throw new Error(`a network interface of ${instanceId} has no id or no quarantine group`);
      const groups = eni.Groups ?? [];
      if (groups.length === 1 && groups[0]?.GroupId === quarantineId) continue;
      await changes.apply(
        {
          action: 'ec2:ModifyNetworkInterfaceAttribute',
          target: arnOf(ctx, 'network-interface', eniId),
          description: `${eniId} of ${instanceId}: ${describeGroups(groups)} -> ${quarantineId} (${QUARANTINE_GROUP_NAME})`,
        },
        () => ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [quarantineId] })),
      );
      removed.push(`${eniId}: ${describeGroups(groups.filter((g) => g.GroupId !== quarantineId))}`);
    }

    const quarantineGroups = [...quarantineOf.values()].join(', ');
    return changes.result(
      removed.length > 0
        ? `quarantined ${instanceId} in ${quarantineGroups}; groups removed (to restore): ${removed.join('; ')}`
        : `quarantine group ${quarantineGroups} of ${instanceId} had rules; removed them`,
      `instance ${instanceId} already has only ${quarantineGroups} (${QUARANTINE_GROUP_NAME}), which has no rules`,
    );
  },
});
