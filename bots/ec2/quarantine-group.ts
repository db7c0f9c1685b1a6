/**
 * A no-rule security group a quarantine bot puts a resource in: one per VPC
 * and bot, created on first use (its default egress revoked), tagged
 * cloudmend:created-by=<bot> and reused; a group of that name without the tag
 * is never used. Shared by ec2_quarantine_instance and rds_quarantine_instance.
 *
 * Race-safe: when another run (a finding for another resource of the same VPC)
 * creates the group between our read and our create, or a lost response makes
 * the SDK retry a create that had succeeded, EC2 answers InvalidGroup.Duplicate;
 * the group is then read back and used, provided it carries our tag. Two runs
 * sharing a group may both revoke its default egress; the one revoking second
 * is told the rule no longer exists, re-reads the group, and requires it to
 * have no rules left.
 */
import type { EC2Client, SecurityGroup } from '@aws-sdk/client-ec2';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { CloudmendError } from '../errors';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

export interface QuarantineGroupSpec {
  /** The group's name in every VPC. */
  name: string;
  /** The bot that creates it: the value of its created-by tag. */
  bot: string;
  /** The group's EC2 description. */
  description: string;
}

export const CREATED_BY_KEY = 'cloudmend:created-by';
/** Creating the quarantine group and emptying it: the group is kept for the VPC's later quarantines (issue #11). */
export const QUARANTINE_GROUP_KIND = 'quarantine-group';
const GROUP_CHANGE = { kind: QUARANTINE_GROUP_KIND, before: null, after: null } as const;

type Ec2Context = Pick<BotContext, 'partition' | 'region' | 'account' | 'dryRun' | 'log'>;

export function ec2Arn(
  ctx: Pick<BotContext, 'partition' | 'region' | 'account'>,
  kind: 'vpc' | 'security-group' | 'network-interface',
  id: string,
): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:${kind}/${id}`;
}

export function createdByUs(spec: QuarantineGroupSpec, group: SecurityGroup): boolean {
  return group.Tags?.some((t) => t.Key === CREATED_BY_KEY && t.Value === spec.bot) ?? false;
}

export function foreignGroupMessage(spec: QuarantineGroupSpec, group: SecurityGroup, vpcId: string): string {
  return (
    `security group ${group.GroupId} in ${vpcId} is named ${spec.name} but lacks the tag ` +
    `${CREATED_BY_KEY}=${spec.bot}; not using a group cloudmend did not create as a quarantine: rename or tag it`
  );
}

/** A group of our name without our tag appeared while the bot ran: refused, not retried. */
export class ForeignQuarantineGroup extends CloudmendError {
  override readonly name: string = 'ForeignQuarantineGroup';
}

export async function findQuarantineGroup(spec: QuarantineGroupSpec, ec2: EC2Client, vpcId: string): Promise<SecurityGroup | undefined> {
  const { DescribeSecurityGroupsCommand } = await sdk.ec2();
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [spec.name] },
      ],
    }),
  );
  return SecurityGroups[0];
}

const nameOf = (error: unknown) => (error as { name?: string } | null)?.name;

/**
 * The VPC's quarantine group: `existing` when there is one (already checked to
 * be ours), else created now through `creator` (a placeholder id in dry run).
 * The returned group's rules are what it has now.
 */
export async function findOrCreateQuarantineGroup(
  spec: QuarantineGroupSpec,
  ctx: Ec2Context,
  ec2: EC2Client,
  creator: () => Promise<EC2Client>,
  changes: ChangeSet,
  vpcId: string,
  existing: SecurityGroup | undefined,
): Promise<SecurityGroup> {
  if (existing) return existing;
  const { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand } = await sdk.ec2();
  const writer = ctx.dryRun ? ec2 : await creator();
  const outcome = await createOrAdopt(
    changes,
    {
      action: 'ec2:CreateSecurityGroup',
      target: ec2Arn(ctx, 'vpc', vpcId),
      description: `created security group ${spec.name} in ${vpcId}, to hold no rules`,
      undo: GROUP_CHANGE,
    },
    () =>
      writer.send(
        new CreateSecurityGroupCommand({
          GroupName: spec.name,
          Description: spec.description,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: CREATED_BY_KEY, Value: spec.bot }] }],
        }),
      ),
    (error) => nameOf(error) === 'InvalidGroup.Duplicate',
  );
  if (!outcome.created) {
    // Another run's group (or ours, created by a create whose response was lost): used if it is ours, not reported as our write.
    const group = await findQuarantineGroup(spec, ec2, vpcId);
    if (!group) throw settlingConflict(`${spec.name} in ${vpcId}`);
    if (!createdByUs(spec, group)) throw new ForeignQuarantineGroup(foreignGroupMessage(spec, group, vpcId));
    ctx.log.info('quarantine group created by a concurrent run; using it', { vpcId, groupId: group.GroupId });
    return group;
  }
  if (ctx.dryRun) {
    // The group is not really created, so its default egress rule can only be reported.
    return { GroupId: `(new ${spec.name} in ${vpcId})`, IpPermissionsEgress: [{ IpProtocol: '-1' }] };
  }
  const createdId = outcome.output?.GroupId;
  if (!createdId) throw new Error(`CreateSecurityGroup in ${vpcId} returned no group id`);
  // A new group comes with allow-all egress (IPv6 too in some VPCs): read what it actually got.
  const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [createdId] }));
  return described.SecurityGroups?.[0] ?? { GroupId: createdId };
}

/** Revokes every rule of our quarantine group: rules there mean a new group's default egress, an interrupted run or a hand edit. */
export async function emptyQuarantineGroup(
  spec: QuarantineGroupSpec,
  ctx: Ec2Context,
  ec2: EC2Client,
  writer: EC2Client,
  changes: ChangeSet,
  group: SecurityGroup,
): Promise<void> {
  const { DescribeSecurityGroupsCommand, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand } = await sdk.ec2();
  const groupId = group.GroupId;
  if (!groupId) throw new Error(`security group ${spec.name} has no group id`);
  const placeholder = !groupId.startsWith('sg-');
  const target = placeholder ? groupId : ec2Arn(ctx, 'security-group', groupId);
  const goneAlready = (error: unknown) => nameOf(error) === 'InvalidPermission.NotFound';
  let revokedElsewhere = false;
  if (group.IpPermissions?.length) {
    const rules = group.IpPermissions;
    const outcome = await createOrAdopt(
      changes,
      {
        action: 'ec2:RevokeSecurityGroupIngress',
        target,
        description: `revoked ${rules.length} ingress rule(s) of ${groupId}`,
        undo: GROUP_CHANGE,
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
      { action: 'ec2:RevokeSecurityGroupEgress', target, description, undo: GROUP_CHANGE },
      () => writer.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: rules })),
      goneAlready,
    );
    revokedElsewhere ||= !outcome.created;
  }
  if (revokedElsewhere) {
    const now = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
    if (now?.IpPermissions?.length || now?.IpPermissionsEgress?.length) {
      throw settlingConflict(`the rules of ${groupId} changing under another run`);
    }
  }
}
