import { z } from 'zod';
import type { EC2Client, GroupIdentifier, InstanceNetworkInterface, SecurityGroup } from '@aws-sdk/client-ec2';
import { ChangeSet, createOrAdopt, settlingConflict, skipped } from '../changes';
import { batchedWriters } from '../narrow';
import { defineBot, type BotContext } from '../types';
import { INSTANCE_ARN, describeInstance, instanceIdOf, isGone } from './instance';
import { COMPROMISED_INSTANCE_FINDINGS } from './compromised-instance-findings';

const BOT_NAME = 'ec2_quarantine_instance';
export const QUARANTINE_GROUP_NAME = 'cloudmend-quarantine';
const CREATED_BY_KEY = 'cloudmend:created-by';
/** A group created now: its id cannot be known before. */
const SECURITY_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/*';
/** The quarantine groups found or created, named once the bot knows their ids. */
const QUARANTINE_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/{securityGroupId}';

type Ec2Context = Pick<BotContext, 'partition' | 'region' | 'account' | 'dryRun' | 'log'>;

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

/** Interfaces named in one narrowed session: with the VPCs' quarantine groups, well within AssumeRole's 2,048 characters. */
export const INTERFACES_PER_SESSION = 4;

function isDuplicateGroup(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'InvalidGroup.Duplicate';
}

function refuseForeignGroup(group: SecurityGroup, vpcId: string): never {
  throw Object.assign(
    new Error(
      `security group ${group.GroupId} in ${vpcId} is named ${QUARANTINE_GROUP_NAME} but lacks the tag ${CREATED_BY_KEY}=${BOT_NAME}; ` +
        'not using a group cloudmend did not create as a quarantine: rename or tag it',
    ),
    { name: 'ForeignQuarantineGroup' },
  );
}

/**
 * The VPC's quarantine group, created now when it does not exist (a
 * placeholder id in dry run). Create-or-get: when another run (a finding for
 * another instance of the same VPC) creates it between our read and our
 * create, or a lost response makes the SDK retry a create that had succeeded,
 * EC2 answers InvalidGroup.Duplicate; the group is then read back and used,
 * provided it carries our tag. The returned group's rules are what it has now.
 */
async function findOrCreateQuarantineGroup(
  ctx: Ec2Context,
  ec2: EC2Client,
  creator: () => Promise<EC2Client>,
  changes: ChangeSet,
  vpcId: string,
  existing: SecurityGroup | undefined,
): Promise<SecurityGroup> {
  if (existing) return existing;
  const { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
  const writer = ctx.dryRun ? ec2 : await creator();
  const outcome = await createOrAdopt(
    changes,
    {
      action: 'ec2:CreateSecurityGroup',
      target: arnOf(ctx, 'vpc', vpcId),
      description: `created security group ${QUARANTINE_GROUP_NAME} in ${vpcId}, to hold no rules`,
      undo: QUARANTINE_GROUP_CHANGE,
    },
    () =>
      writer.send(
        new CreateSecurityGroupCommand({
          GroupName: QUARANTINE_GROUP_NAME,
          Description: `cloudmend quarantine: no inbound or outbound rules (${BOT_NAME})`,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: CREATED_BY_KEY, Value: BOT_NAME }] }],
        }),
      ),
    isDuplicateGroup,
  );
  if (!outcome.created) {
    // Another run's group (or ours, created by a create whose response was lost): used if it is ours, not reported as our write.
    const group = await findQuarantineGroup(ec2, vpcId);
    if (!group) throw settlingConflict(`${QUARANTINE_GROUP_NAME} in ${vpcId}`);
    if (!createdByUs(group)) refuseForeignGroup(group, vpcId);
    ctx.log.info('quarantine group created by a concurrent run; using it', { vpcId, groupId: group.GroupId });
    return group;
  }
  const created = outcome.output;
  if (ctx.dryRun) {
    // The group is not really created, so its default egress rule can only be reported.
    return { GroupId: `(new ${QUARANTINE_GROUP_NAME} in ${vpcId})`, IpPermissionsEgress: [{ IpProtocol: '-1' }] };
  }
  const createdId = created?.GroupId;
  if (!createdId) throw new Error(`CreateSecurityGroup in ${vpcId} returned no group id`);
  // A new group comes with allow-all egress (IPv6 too in some VPCs): read what it actually got.
  const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [createdId] }));
  return described.SecurityGroups?.[0] ?? { GroupId: createdId };
}

/**
 * Revokes every rule of our quarantine group: rules there mean a new group's
 * default egress, an interrupted run or a hand edit. Two runs sharing a group
 * may both see its default egress; the one revoking second is told the rule no
 * longer exists: then the group is read again, and must have no rules left.
 */
async function emptyQuarantineGroup(
  ctx: Ec2Context,
  ec2: EC2Client,
  writer: EC2Client,
  changes: ChangeSet,
  group: SecurityGroup,
): Promise<void> {
  const { DescribeSecurityGroupsCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand } = await import(
    '@aws-sdk/client-ec2'
  );
  const groupId = group.GroupId;
  if (!groupId) throw new Error(`security group ${QUARANTINE_GROUP_NAME} has no group id`);
  const placeholder = !groupId.startsWith('sg-');
  const target = placeholder ? groupId : arnOf(ctx, 'security-group', groupId);
  const goneAlready = (error: unknown) => (error as { name?: string } | null)?.name === 'InvalidPermission.NotFound';
  let revokedElsewhere = false;
  if (group.IpPermissions?.length) {
    const rules = group.IpPermissions;
    const outcome = await createOrAdopt(
      changes,
      {
        action: 'ec2:RevokeSecurityGroupIngress',
        target,
        description: `revoked ${rules.length} ingress rule(s) of ${groupId}`,
        undo: QUARANTINE_GROUP_CHANGE,
      },
      () => writer.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: rules })),
      goneAlready,
    );
    revokedElsewhere ||= !outcome.created;
  }
  if (group.IpPermissionsEgress?.length) {
    const rules = group.IpPermissionsEgress;
    const description = placeholder
      ? 'revoked the allow-all egress rule every new group gets'
      : `revoked ${rules.length} egress rule(s) of ${groupId}`;
    const outcome = await createOrAdopt(
      changes,
      { action: 'ec2:RevokeSecurityGroupEgress', target, description, undo: QUARANTINE_GROUP_CHANGE },
      () => writer.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: rules })),
      goneAlready,
    );
    revokedElsewhere ||= !outcome.created;
  }
  if (revokedElsewhere) {
    const now = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
    if (now?.IpPermissions?.length || now?.IpPermissionsEgress?.length)
      throw settlingConflict(`the rules of ${groupId} changing under another run`);
  }
}

/** Everything done to the quarantine group itself (created, its rules revoked): it stays for the VPC's later quarantines. */
const QUARANTINE_GROUP_CHANGE = { kind: 'quarantine-group', before: null, after: null } as const;

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
      'quarantine-group': {
        reversible: false,
        why: `the ${QUARANTINE_GROUP_NAME} group (created once per VPC, no rules) is left for later quarantines in the VPC: it grants nothing`,
      },
    },
  },
  undoers: {
    [INTERFACE_GROUPS_KIND]: {
      async read(ctx) {
        const { EC2Client } = await import('@aws-sdk/client-ec2');
        const instanceId = ctx.change?.ids?.instanceId?.[0];
        if (!instanceId) throw new Error(`undo of ${ctx.target}: the change recorded no instance`);
        return { groups: await interfaceGroups(ctx.client(EC2Client), instanceId, ctx.target.slice(ctx.target.lastIndexOf('/') + 1)) };
      },
      async write(ctx, state) {
        const { EC2Client, ModifyNetworkInterfaceAttributeCommand } = await import('@aws-sdk/client-ec2');
        const { groups } = state as { groups: string[] };
        const NetworkInterfaceId = ctx.target.slice(ctx.target.lastIndexOf('/') + 1);
        await ctx.client(EC2Client).send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId, Groups: groups }));
      },
    },
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
    // Writes go through credentials naming exactly what was read: these VPCs, then these groups and interfaces.
    const creator = async () => (await ctx.narrowTo({ vpcId: vpcIds }))(EC2Client);
    const groups = new Map<string, SecurityGroup>();
    for (const vpcId of vpcIds) {
      groups.set(vpcId, await findOrCreateQuarantineGroup(ctx, ec2, creator, changes, vpcId, existing.get(vpcId)));
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
    for (const group of groups.values()) await emptyQuarantineGroup(ctx, ec2, writer, changes, group);

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
          target: arnOf(ctx, 'network-interface', eniId),
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
