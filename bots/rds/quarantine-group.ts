/**
 * The no-rule security group rds_quarantine_instance puts a DB instance in: one
 * per VPC, named cloudmend-rds-quarantine, created on first use (its default
 * egress revoked), tagged cloudmend:created-by=rds_quarantine_instance and
 * reused. Race-safe like the EC2 quarantine group: a create answered
 * InvalidGroup.Duplicate adopts the group another run made (if it is ours), and
 * a revoke answered InvalidPermission.NotFound re-reads the group, which must
 * then have no rules left.
 */
import type { EC2Client, SecurityGroup } from '@aws-sdk/client-ec2';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { CloudmendError } from '../errors';
import type { BotContext } from '../types';

export const RDS_QUARANTINE_BOT = 'rds_quarantine_instance';
export const RDS_QUARANTINE_GROUP_NAME = 'cloudmend-rds-quarantine';
export const CREATED_BY_KEY = 'cloudmend:created-by';

type Ec2Context = Pick<BotContext, 'partition' | 'region' | 'account' | 'dryRun' | 'log'>;

/** Creating the quarantine group and emptying it: the group is kept (issue #11), so undo has nothing to restore. */
export const RDS_QUARANTINE_GROUP_KIND = 'quarantine-group';
export const RDS_QUARANTINE_GROUP_UNDO = {
  reversible: false,
  why:
    `the ${RDS_QUARANTINE_GROUP_NAME} group (created once per VPC, every rule revoked) is left for later quarantines in the VPC: ` +
    'it grants nothing; putting back the rules a new group comes with would only open it',
} as const;
const GROUP_CHANGE = { kind: RDS_QUARANTINE_GROUP_KIND, before: null, after: null } as const;

export function ec2Arn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, kind: 'vpc' | 'security-group', id: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:${kind}/${id}`;
}

export function createdByUs(group: SecurityGroup): boolean {
  return group.Tags?.some((t) => t.Key === CREATED_BY_KEY && t.Value === RDS_QUARANTINE_BOT) ?? false;
}

export function foreignGroupMessage(group: SecurityGroup, vpcId: string): string {
  return (
    `security group ${group.GroupId} in ${vpcId} is named ${RDS_QUARANTINE_GROUP_NAME} but lacks the tag ` +
    `${CREATED_BY_KEY}=${RDS_QUARANTINE_BOT}; not using a group cloudmend did not create as a quarantine: rename or tag it`
  );
}

/** A group of our name without our tag appeared while the bot ran: refused, not retried. */
export class ForeignQuarantineGroup extends CloudmendError {
  override readonly name: string = 'ForeignQuarantineGroup';
}

export async function findQuarantineGroup(ec2: EC2Client, vpcId: string): Promise<SecurityGroup | undefined> {
  const { DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [RDS_QUARANTINE_GROUP_NAME] },
      ],
    }),
  );
  return SecurityGroups[0];
}

const nameOf = (error: unknown) => (error as { name?: string } | null)?.name;

/**
 * The VPC's quarantine group: `existing` when there is one (already checked to
 * be ours), else created now through `creator` (a placeholder id in dry run).
 */
export async function findOrCreateQuarantineGroup(
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
      target: ec2Arn(ctx, 'vpc', vpcId),
      description: `created security group ${RDS_QUARANTINE_GROUP_NAME} in ${vpcId}, to hold no rules`,
      undo: GROUP_CHANGE,
    },
    () =>
      writer.send(
        new CreateSecurityGroupCommand({
          GroupName: RDS_QUARANTINE_GROUP_NAME,
          Description: `cloudmend quarantine for DB instances: no inbound or outbound rules (${RDS_QUARANTINE_BOT})`,
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: CREATED_BY_KEY, Value: RDS_QUARANTINE_BOT }] }],
        }),
      ),
    (error) => nameOf(error) === 'InvalidGroup.Duplicate',
  );
  if (!outcome.created) {
    const group = await findQuarantineGroup(ec2, vpcId);
    if (!group) throw settlingConflict(`${RDS_QUARANTINE_GROUP_NAME} in ${vpcId}`);
    if (!createdByUs(group)) throw new ForeignQuarantineGroup(foreignGroupMessage(group, vpcId));
    ctx.log.info('quarantine group created by a concurrent run; using it', { vpcId, groupId: group.GroupId });
    return group;
  }
  if (ctx.dryRun) {
    return { GroupId: `(new ${RDS_QUARANTINE_GROUP_NAME} in ${vpcId})`, IpPermissionsEgress: [{ IpProtocol: '-1' }] };
  }
  const createdId = outcome.output?.GroupId;
  if (!createdId) throw new Error(`CreateSecurityGroup in ${vpcId} returned no group id`);
  // A new group comes with allow-all egress: read what it actually got.
  const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [createdId] }));
  return described.SecurityGroups?.[0] ?? { GroupId: createdId };
}

/** Revokes every rule of our quarantine group (a new group's default egress, an interrupted run, a hand edit). */
export async function emptyQuarantineGroup(
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
  if (!groupId) throw new Error(`security group ${RDS_QUARANTINE_GROUP_NAME} has no group id`);
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
