import { z } from 'zod';
import type { EC2Client, GroupIdentifier, InstanceNetworkInterface, SecurityGroup } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { batchedWriters } from '../narrow';
import { defineBot } from '../types';
import { INSTANCE_ARN, describeInstance, instanceIdOf, isGone } from './instance';
import { COMPROMISED_INSTANCE_FINDINGS } from './compromised-instance-findings';
import {
  CREATED_BY_KEY,
  QUARANTINE_GROUP_KIND,
  type QuarantineGroupSpec,
  createdByUs,
  ec2Arn,
  emptyQuarantineGroup,
  findOrCreateQuarantineGroup,
  findQuarantineGroup,
  foreignGroupMessage,
} from './quarantine-group';
import { sdk } from '../sdk';

const BOT_NAME = 'ec2_quarantine_instance';
export const QUARANTINE_GROUP_NAME = 'cloudmend-quarantine';
const QUARANTINE_GROUP: QuarantineGroupSpec = {
  name: QUARANTINE_GROUP_NAME,
  bot: BOT_NAME,
  description: `cloudmend quarantine: no inbound or outbound rules (${BOT_NAME})`,
};
/** A group created now: its id cannot be known before. */
const SECURITY_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/*';
/** The quarantine groups found or created, named once the bot knows their ids. */
const QUARANTINE_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/{securityGroupId}';

function describeGroups(groups: GroupIdentifier[]): string {
  return groups.map((g) => (g.GroupName ? `${g.GroupId} (${g.GroupName})` : g.GroupId)).join(', ') || 'no groups';
}

/** Interfaces named in one narrowed session: with the VPCs' quarantine groups, well within AssumeRole's 2,048 characters. */
export const INTERFACES_PER_SESSION = 4;

const INTERFACE_GROUPS_KIND = 'interface-security-groups';

/** The groups of one interface before and after, and the ids undo's session names: that interface and the groups it sets back. */
function interfaceGroupsChange(instanceId: string, eniId: string, before: string[], quarantineId: string) {
  const real = (ids: string[]) => ids.filter((id) => /^(sg|eni)-[A-Za-z0-9]+$/.test(id));
  return {
    kind: INTERFACE_GROUPS_KIND,
    before: { groups: [...before].sort() },
    after: { groups: [quarantineId] },
    // The instance too: undo reads the interface's groups through it, as the bot did.
    ids: { instanceId: [instanceId], networkInterfaceId: real([eniId]), securityGroupId: real([...new Set(before)]) },
  };
}

/** The groups of one interface of the instance, read as the bot reads them (DescribeInstances). */
async function interfaceGroups(ec2: EC2Client, instanceId: string, eniId: string): Promise<string[]> {
  const instance = await describeInstance(ec2, instanceId);
  const eni = (instance.NetworkInterfaces ?? []).find((n) => n.NetworkInterfaceId === eniId);
  return (eni?.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])).sort();
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
        resources: ['arn:{partition}:ec2:{region}:{account}:vpc/{vpcId}'],
        reason: "create the quarantine group in the VPC of the instance's interfaces (only the VPCs read)",
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
        resources: [QUARANTINE_GROUP_ARN],
        conditions: { StringEquals: { [`aws:ResourceTag/${CREATED_BY_KEY}`]: BOT_NAME } },
        reason: 'remove every rule from the quarantine group, and only from groups this bot created',
      },
      {
        // Only the interfaces read from the instance, only the quarantine group; EC2 checks the attached instance too.
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: ['arn:{partition}:ec2:{region}:{account}:network-interface/{networkInterfaceId}', QUARANTINE_GROUP_ARN, INSTANCE_ARN],
        reason: "set the quarantine group as the only security group of each of the instance's interfaces",
      },
    ],
    undo: {
      [INTERFACE_GROUPS_KIND]: {
        reversible: true,
        how: 'gives each network interface back the security groups it had before the quarantine',
        permissions: [
          {
            actions: ['ec2:DescribeInstances'],
            resources: ['*'],
            reason: "undo: read the groups of the instance's interface (DescribeInstances supports no resource-level permissions)",
          },
          {
            // The interface and the groups it had, as the change recorded them; EC2 checks the attached instance too.
            actions: ['ec2:ModifyNetworkInterfaceAttribute'],
            resources: [
              'arn:{partition}:ec2:{region}:{account}:network-interface/{networkInterfaceId}',
              QUARANTINE_GROUP_ARN,
              INSTANCE_ARN,
            ],
            reason: 'undo: set the recorded security groups back on the interface',
          },
        ],
      },
      [QUARANTINE_GROUP_KIND]: {
        reversible: false,
        why: `the ${QUARANTINE_GROUP_NAME} group (created once per VPC, no rules) is left for later quarantines in the VPC: it grants nothing`,
      },
    },
  },
  undoers: {
    [INTERFACE_GROUPS_KIND]: {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        const instanceId = ctx.change?.ids?.instanceId?.[0];
        if (!instanceId) throw new Error(`undo of ${ctx.target}: the change recorded no instance`);
        return { groups: await interfaceGroups(ctx.client(EC2Client), instanceId, ctx.target.slice(ctx.target.lastIndexOf('/') + 1)) };
      },
      async write(ctx, state) {
        const { EC2Client, ModifyNetworkInterfaceAttributeCommand } = await sdk.ec2();
        const { groups } = state as { groups: string[] };
        const NetworkInterfaceId = ctx.target.slice(ctx.target.lastIndexOf('/') + 1);
        await ctx.client(EC2Client).send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId, Groups: groups }));
      },
    },
  },
  async run(ctx) {
    const { EC2Client, ModifyNetworkInterfaceAttributeCommand } = await sdk.ec2();
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
      const group = await findQuarantineGroup(QUARANTINE_GROUP, ec2, vpcId);
      if (group && !createdByUs(QUARANTINE_GROUP, group)) return skipped(foreignGroupMessage(QUARANTINE_GROUP, group, vpcId));
      existing.set(vpcId, group);
    }

    const changes = new ChangeSet(ctx);
    // Writes go through credentials naming exactly what was read: these VPCs, then these groups and interfaces.
    const creator = async () => (await ctx.narrowTo({ vpcId: vpcIds }))(EC2Client);
    const groups = new Map<string, SecurityGroup>();
    for (const vpcId of vpcIds) {
      groups.set(vpcId, await findOrCreateQuarantineGroup(QUARANTINE_GROUP, ctx, ec2, creator, changes, vpcId, existing.get(vpcId)));
    }
    const quarantineOf = new Map([...groups].map(([vpcId, group]) => [vpcId, group.GroupId!]));
    const realIds = (ids: Iterable<string>) => [...ids].filter((id) => /^(sg|eni)-/.test(id));
    // One session names a few interfaces at most (AssumeRole takes 2,048 characters of policy); more interfaces, more sessions.
    const writerFor = batchedWriters(
      ctx,
      EC2Client,
      ec2,
      'networkInterfaceId',
      realIds(interfaces.map((eni) => eni.NetworkInterfaceId!)),
      INTERFACES_PER_SESSION,
      { securityGroupId: realIds(quarantineOf.values()) },
    );
    const writer = await writerFor();
    for (const group of groups.values()) await emptyQuarantineGroup(QUARANTINE_GROUP, ctx, ec2, writer, changes, group);

    const removed: string[] = [];
    for (const eni of interfaces) {
      const eniId = eni.NetworkInterfaceId;
      const quarantineId = quarantineOf.get(vpcOf(eni));
      if (!eniId || !quarantineId) throw new Error(`a network interface of ${instanceId} has no id or no quarantine group`);
      const current = eni.Groups ?? [];
      if (current.length === 1 && current[0]?.GroupId === quarantineId) continue;
      await changes.apply(
        {
          action: 'ec2:ModifyNetworkInterfaceAttribute',
          target: ec2Arn(ctx, 'network-interface', eniId),
          description: `${eniId} of ${instanceId}: ${describeGroups(current)} -> ${quarantineId} (${QUARANTINE_GROUP_NAME})`,
          undo: interfaceGroupsChange(
            instanceId,
            eniId,
            current.flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
            quarantineId,
          ),
        },
        async () =>
          (await writerFor(eniId)).send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [quarantineId] })),
      );
      removed.push(`${eniId}: ${describeGroups(current.filter((g) => g.GroupId !== quarantineId))}`);
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
