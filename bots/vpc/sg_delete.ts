import { z } from 'zod';
import type { EC2Client, NetworkInterface, SecurityGroup } from '@aws-sdk/client-ec2';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot } from '../types';
import { isGroupNotFound, requireSecurityGroupId, securityGroupArn } from './security-group-id';
import { sdk } from '../sdk';

const NAME = 'sg_delete';
/** How many users of the group a refusal names; the rest are counted. */
const LISTED = 5;

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Delete an unused security group',
    description:
      'Deletes the security group only when nothing uses it. It refuses (skipped, with the reason) when any network ' +
      'interface in the account uses the group (instances, load balancers, Lambda functions, endpoints all appear as ' +
      'interfaces), when it is the default group of its VPC (which cannot be deleted), or when other security groups ' +
      'reference it in their rules (EC2 would refuse with DependencyViolation); the refusal names the interfaces or ' +
      'groups. Launch templates and configurations that name the group are not checked: they fail on their next use. ' +
      'A group that no longer exists is already compliant.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    remediates: { securityHub: ['EC2.22'], config: ['ec2-security-group-attached-to-eni-periodic'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'],
        resources: ['*'],
        reason:
          'read the group, find the network interfaces that use it and the groups whose rules reference it (Describe actions support no resource-level permissions)',
      },
      {
        actions: ['ec2:DeleteSecurityGroup'],
        resources: ['arn:{partition}:ec2:{region}:{account}:security-group/{resourceId}'],
        reason: 'delete the unused group',
      },
    ],
    undo: {
      'security-group-deletion': {
        reversible: false,
        why: 'a deleted security group cannot be brought back: a new group gets a new id, and nothing that named the old one follows it',
      },
    },
    destructive: true,
  },
  async run(ctx) {
    const groupId = requireSecurityGroupId(ctx.finding.resource.id, NAME);
    const { EC2Client, DeleteSecurityGroupCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);

    const group = await findGroup(ec2, groupId);
    if (!group) return alreadyCompliant(`security group ${groupId} does not exist (already deleted)`);
    const label = `${groupId} (${group.GroupName ?? 'unnamed'}${group.VpcId ? ` in ${group.VpcId}` : ''})`;

    if (group.GroupName === 'default') {
      return skipped(`${label} is the default security group of its VPC, which cannot be deleted; use sg_rules_delete to empty it instead`);
    }
    const users = await interfacesUsing(ec2, groupId);
    if (users.interfaces.length > 0) {
      return skipped(`${label} is in use by ${describeInterfaces(users.interfaces, users.more)}; not deleted`);
    }
    const referencing = await groupsReferencing(ec2, groupId);
    if (referencing.length > 0) {
      return skipped(
        `${label} is referenced by the rules of ${referencing.map(describeGroup).join(', ')}; ` +
          'remove those rules first (deleting would fail with DependencyViolation); not deleted',
      );
    }

    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'ec2:DeleteSecurityGroup',
        target: securityGroupArn(ctx.partition, ctx.region, ctx.account, groupId),
        undo: { kind: 'security-group-deletion', before: { groupId, name: group.GroupName, vpcId: group.VpcId }, after: null },
        description: `deleted unused security group ${label}: no network interface uses it and no other group references it`,
      },
      () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
    );
    return changes.result(`deleted unused security group ${label}`);
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

/** One page is enough: a single interface already forbids the deletion; the page only feeds the message. */
async function interfacesUsing(ec2: EC2Client, groupId: string): Promise<{ interfaces: NetworkInterface[]; more: boolean }> {
  const { DescribeNetworkInterfacesCommand } = await sdk.ec2();
  const page = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], MaxResults: 50 }));
  return { interfaces: page.NetworkInterfaces ?? [], more: Boolean(page.NextToken) };
}

/** Groups other than this one whose ingress or egress rules name it. EC2 filters are ANDed, hence two queries. */
async function groupsReferencing(ec2: EC2Client, groupId: string): Promise<SecurityGroup[]> {
  const { paginateDescribeSecurityGroups } = await sdk.ec2();
  const found = new Map<string, SecurityGroup>();
  for (const filter of ['ip-permission.group-id', 'egress.ip-permission.group-id']) {
    for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { Filters: [{ Name: filter, Values: [groupId] }] })) {
      for (const group of page.SecurityGroups ?? []) {
        // A rule referencing its own group does not block deleting it.
        if (group.GroupId && group.GroupId !== groupId) found.set(group.GroupId, group);
      }
    }
  }
  return [...found.values()];
}

function describeInterfaces(interfaces: NetworkInterface[], more: boolean): string {
  const named = interfaces.slice(0, LISTED).map((eni) => {
    const owner = eni.Attachment?.InstanceId || eni.Description || eni.InterfaceType;
    return owner ? `${eni.NetworkInterfaceId} (${owner})` : `${eni.NetworkInterfaceId}`;
  });
  const rest = interfaces.length - named.length;
  const tail = rest > 0 || more ? ` and ${more ? 'more' : `${rest} more`}` : '';
  return `network interface${interfaces.length === 1 && !more ? '' : 's'} ${named.join(', ')}${tail}`;
}

function describeGroup(group: SecurityGroup): string {
  return group.GroupName ? `${group.GroupId} (${group.GroupName})` : `${group.GroupId}`;
}
