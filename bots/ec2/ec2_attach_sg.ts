import { z } from 'zod';
import type { EC2Client, SecurityGroup } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { INSTANCE_ARN, describeInstance, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

const GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const KIND = 'interface-groups';
const ENI_ARN = 'arn:{partition}:ec2:{region}:{account}:network-interface/{networkInterfaceId}';
const GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/{securityGroupId}';

/** The group the param names, in the instance's VPC: by id (checked to be in that VPC) or by name there. */
async function findGroup(ec2: EC2Client, wanted: string, vpcId: string): Promise<SecurityGroup | undefined> {
  const { DescribeSecurityGroupsCommand } = await sdk.ec2();
  const byId = GROUP_ID.test(wanted);
  try {
    const { SecurityGroups = [] } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: byId ? 'group-id' : 'group-name', Values: [wanted] },
        ],
      }),
    );
    return SecurityGroups.find((g) => g.VpcId === vpcId && (byId ? g.GroupId === wanted : g.GroupName === wanted));
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidGroup.NotFound') return undefined;
    throw error;
  }
}

export default defineBot({
  meta: {
    name: 'ec2_attach_sg',
    summary: 'Attach a security group (param) to the instance’s primary network interface, keeping its groups',
    description:
      'Adds the security group `security_group` (a group id, or a group name looked up in the instance’s VPC) to the ' +
      'groups of the instance’s primary network interface; the groups it has stay, and other interfaces are left ' +
      'alone. A group in another VPC, or none of that name there, refuses the run. Since security groups only allow, ' +
      'adding one can only widen what reaches the instance: pick a group meant for it (a monitoring or management ' +
      'group). The group is set in the config, never by a finding. The interface and the groups it had are recorded; undo ' +
      'puts those groups back on that interface, through credentials naming them only.',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({
      security_group: z
        .string()
        .regex(/^[\w .:/()#,@[\]+=&;{}!$*-]{1,255}$/, 'a security group id (sg-...) or name')
        .describe('the group to attach: its id, or its name in the instance’s VPC'),
    }),
    positional: ['security_group'],
    overridable: [],
    permissions: [
      {
        actions: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups'],
        resources: ['*'],
        reason: 'read the instance’s interfaces and find the group (no resource-level permissions)',
      },
      {
        // Only the primary interface read from the instance, only its groups and the one attached; EC2 checks the instance too.
        actions: ['ec2:ModifyNetworkInterfaceAttribute'],
        resources: [ENI_ARN, GROUP_ARN, INSTANCE_ARN],
        reason: 'set the primary interface’s groups to the ones it has plus the attached one',
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'sets the primary interface’s security groups back to the ones it had',
        permissions: [
          {
            actions: ['ec2:DescribeInstances'],
            resources: ['*'],
            reason: 'undo: read the instance’s interfaces (no resource-level permissions)',
          },
          {
            // The interface and the groups it had, as the change recorded them; EC2 checks the attached instance too.
            actions: ['ec2:ModifyNetworkInterfaceAttribute'],
            resources: [ENI_ARN, GROUP_ARN, INSTANCE_ARN],
            reason:
              'undo: set the groups the primary interface had back on it (only that interface and those groups, as the change recorded them)',
          },
        ],
        recordsIds: ['networkInterfaceId', 'securityGroupId'],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        const instance = await describeInstance(ctx.client(EC2Client), ctx.target.slice(ctx.target.lastIndexOf('/') + 1));
        const primary = instance.NetworkInterfaces?.find((eni) => eni.Attachment?.DeviceIndex === 0);
        return { networkInterfaceId: primary?.NetworkInterfaceId, groups: (primary?.Groups ?? []).map((g) => g.GroupId).sort() };
      },
      async write(ctx, state) {
        const { EC2Client, ModifyNetworkInterfaceAttributeCommand } = await sdk.ec2();
        const { networkInterfaceId, groups } = state as { networkInterfaceId: string; groups: string[] };
        await ctx
          .client(EC2Client)
          .send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: networkInterfaceId, Groups: groups }));
      },
    },
  },
  async run(ctx) {
    const { EC2Client, ModifyNetworkInterfaceAttributeCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to attach a group to`);
    const primary = instance.NetworkInterfaces?.find((eni) => eni.Attachment?.DeviceIndex === 0);
    const eniId = primary?.NetworkInterfaceId;
    const vpcId = primary?.VpcId ?? instance.VpcId;
    if (!primary || !eniId || !vpcId) return skipped(`instance ${instanceId} has no primary network interface in a VPC`);

    const wanted = ctx.params.security_group;
    const group = await findGroup(ec2, wanted, vpcId);
    if (!group?.GroupId) {
      throw new Error(`security group ${wanted} not found in ${vpcId}, the VPC of ${instanceId}: give a group id or name in that VPC`);
    }
    const groupId = group.GroupId;
    const current = (primary.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : []));
    const changes = new ChangeSet(ctx);
    const label = `${groupId} (${group.GroupName ?? 'unnamed'})`;
    if (!current.includes(groupId)) {
      const groups = [...current, groupId];
      const writer = ctx.dryRun ? ec2 : (await ctx.narrowTo({ networkInterfaceId: [eniId], securityGroupId: groups }))(EC2Client);
      await changes.apply(
        {
          action: 'ec2:ModifyNetworkInterfaceAttribute',
          target: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:instance/${instanceId}`,
          description: `${eniId} of ${instanceId}: ${current.join(', ') || 'no groups'} -> ${groups.join(', ')} (added ${label})`,
          undo: {
            kind: KIND,
            before: { networkInterfaceId: eniId, groups: [...current].sort() },
            after: { networkInterfaceId: eniId, groups: [...groups].sort() },
            // Undo sessions name this interface and the groups it sets back, and nothing else.
            ids: { networkInterfaceId: [eniId], securityGroupId: [...current].sort() },
          },
        },
        () => writer.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: groups })),
      );
    }
    return changes.result(`attached ${label} to ${eniId} of ${instanceId}`, `${eniId} of ${instanceId} already has ${label}`);
  },
});
