import { z } from 'zod';
import type { DBInstance } from '@aws-sdk/client-rds';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { DB_ARN_TEMPLATE, dbArn, dbInstanceIdentifier, describeDbInstance, identifierOfTarget, unmodifiable } from './db';
import {
  CREATED_BY_KEY,
  QUARANTINE_GROUP_KIND,
  createdByUs,
  emptyQuarantineGroup,
  findOrCreateQuarantineGroup,
  findQuarantineGroup,
  foreignGroupMessage,
} from '../ec2/quarantine-group';
import { RDS_QUARANTINE_BOT, RDS_QUARANTINE_GROUP, RDS_QUARANTINE_GROUP_NAME, RDS_QUARANTINE_GROUP_UNDO } from './quarantine-group';
import { sdk } from '../sdk';

/** A group created now: its id cannot be known before. */
const NEW_SECURITY_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/*';
/** The quarantine group found or created, named once the bot knows its id. */
const QUARANTINE_GROUP_ARN = 'arn:{partition}:ec2:{region}:{account}:security-group/{securityGroupId}';

/** The instance's VPC security groups as undo compares them: ids, sorted, without those on their way out. */
function groupsOf(instance: DBInstance): string[] {
  return (instance.VpcSecurityGroups ?? [])
    .filter((g) => g.Status !== 'removing')
    .map((g) => g.VpcSecurityGroupId ?? '')
    .filter(Boolean)
    .sort();
}

export default defineBot({
  meta: {
    name: RDS_QUARANTINE_BOT,
    summary: "Replace the DB instance's VPC security groups with a no-rule quarantine group",
    description:
      `Replaces every VPC security group of the DB instance with ${RDS_QUARANTINE_GROUP_NAME}, a group with no inbound and no ` +
      "outbound rules in the instance's VPC: one per VPC, created on first use (its default allow-all egress rule revoked), " +
      `tagged ${CREATED_BY_KEY}=${RDS_QUARANTINE_BOT} and reused afterwards; a group of that name without the tag is refused. ` +
      'No client can open a new connection to the database afterwards (connections already open may last until they close). ' +
      'The groups removed are listed in the result, and undo puts them back. The instance keeps running, its data, ' +
      'endpoint, public accessibility and subnets are left alone, and no group is deleted. RDS applies security group ' +
      'changes at once; the bot sends ApplyImmediately=false so modifications pending for the maintenance window stay pending. ' +
      "Instances of a DB cluster (Aurora) are skipped: their security groups are the cluster's.",
    resourceTypes: ['AWS::RDS::DBInstance'],
    remediates: {},
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
        resources: [DB_ARN_TEMPLATE],
        reason: 'read the security groups of the DB instance and replace them with the quarantine group',
      },
      {
        actions: ['ec2:DescribeSecurityGroups'],
        resources: ['*'],
        reason: 'find the quarantine group of the VPC (no resource-level permissions)',
      },
      {
        actions: ['ec2:CreateSecurityGroup'],
        resources: ['arn:{partition}:ec2:{region}:{account}:vpc/{vpcId}'],
        reason: "create the quarantine group in the DB instance's VPC (only the VPC read)",
      },
      {
        actions: ['ec2:CreateSecurityGroup'],
        resources: [NEW_SECURITY_GROUP_ARN],
        conditions: { StringEquals: { [`aws:RequestTag/${CREATED_BY_KEY}`]: RDS_QUARANTINE_BOT } },
        reason: 'create the quarantine group, only with its cloudmend tag',
      },
      {
        actions: ['ec2:CreateTags'],
        resources: [NEW_SECURITY_GROUP_ARN],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } },
        reason: 'tag the quarantine group as it is created (only as part of CreateSecurityGroup)',
      },
      {
        actions: ['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress'],
        resources: [QUARANTINE_GROUP_ARN],
        conditions: { StringEquals: { [`aws:ResourceTag/${CREATED_BY_KEY}`]: RDS_QUARANTINE_BOT } },
        reason: 'remove every rule from the quarantine group, and only from groups this bot created',
      },
    ],
    undo: {
      'security-groups': {
        reversible: true,
        how: 'sets the VPC security groups of the DB instance back to those it had (the quarantine group stays, unused)',
        permissions: [
          {
            actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
            resources: [DB_ARN_TEMPLATE],
            reason: 'undo: read the DB instance and restore its VPC security groups',
          },
        ],
      },
      [QUARANTINE_GROUP_KIND]: RDS_QUARANTINE_GROUP_UNDO,
    },
  },
  undoers: {
    'security-groups': {
      async read(ctx) {
        const { RDSClient } = await sdk.rds();
        return { VpcSecurityGroupIds: groupsOf(await describeDbInstance(ctx.client(RDSClient), identifierOfTarget(ctx.target))) };
      },
      async write(ctx, state) {
        const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
        const ids = (state as { VpcSecurityGroupIds?: unknown }).VpcSecurityGroupIds;
        if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
          throw new Error(`undo of security groups: no group ids in ${JSON.stringify(state)}`);
        }
        await ctx.client(RDSClient).send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: identifierOfTarget(ctx.target),
            VpcSecurityGroupIds: ids,
            ApplyImmediately: false,
          }),
        );
      },
    },
  },
  async run(ctx) {
    const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
    const { EC2Client } = await sdk.ec2();
    const rds = ctx.client(RDSClient);
    const ec2 = ctx.client(EC2Client);
    const identifier = dbInstanceIdentifier(RDS_QUARANTINE_BOT, ctx.finding.resource.id, ctx);
    const instance = await describeDbInstance(rds, identifier);
    if (instance.DBClusterIdentifier) {
      return skipped(
        `${identifier} belongs to DB cluster ${instance.DBClusterIdentifier}: its security groups are set on the cluster, not on the instance`,
      );
    }
    const status = unmodifiable(instance);
    if (status === 'deleting' || status === 'deleted') return skipped(`${identifier} is ${status}; nothing to quarantine`);
    if (status) return skipped(`${identifier} is ${status}: RDS modifies only an available instance; not quarantined`);
    const vpcId = instance.DBSubnetGroup?.VpcId;
    if (!vpcId) return skipped(`${identifier} is in no VPC (no DB subnet group VPC); it has no VPC security groups to replace`);

    // Every read and refusal before the first write.
    const existing = await findQuarantineGroup(RDS_QUARANTINE_GROUP, ec2, vpcId);
    if (existing && !createdByUs(RDS_QUARANTINE_GROUP, existing))
      return skipped(foreignGroupMessage(RDS_QUARANTINE_GROUP, existing, vpcId));

    const changes = new ChangeSet(ctx);
    const creator = async () => (await ctx.narrowTo({ vpcId: [vpcId] }))(EC2Client);
    const group = await findOrCreateQuarantineGroup(RDS_QUARANTINE_GROUP, ctx, ec2, creator, changes, vpcId, existing);
    const quarantineId = group.GroupId;
    if (!quarantineId) throw new Error(`security group ${RDS_QUARANTINE_GROUP_NAME} in ${vpcId} has no group id`);
    const writer =
      ctx.dryRun || !quarantineId.startsWith('sg-') ? ec2 : (await ctx.narrowTo({ securityGroupId: [quarantineId] }))(EC2Client);
    await emptyQuarantineGroup(RDS_QUARANTINE_GROUP, ctx, ec2, writer, changes, group);

    const current = groupsOf(instance);
    const removed = current.filter((id) => id !== quarantineId);
    if (removed.length > 0 || !current.includes(quarantineId)) {
      await changes.apply(
        {
          action: 'rds:ModifyDBInstance',
          target: instance.DBInstanceArn ?? dbArn(ctx, identifier),
          description: `VPC security groups of ${identifier}: ${current.join(', ') || 'none'} -> ${quarantineId} (${RDS_QUARANTINE_GROUP_NAME})`,
          undo: { kind: 'security-groups', before: { VpcSecurityGroupIds: current }, after: { VpcSecurityGroupIds: [quarantineId] } },
        },
        () =>
          rds.send(
            new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, VpcSecurityGroupIds: [quarantineId], ApplyImmediately: false }),
          ),
      );
    }
    return changes.result(
      removed.length > 0 || !current.includes(quarantineId)
        ? `quarantined ${identifier} in ${quarantineId}; security groups removed (to restore): ${removed.join(', ') || 'none'}`
        : `quarantine group ${quarantineId} of ${identifier} had rules; removed them`,
      `${identifier} already has only ${quarantineId} (${RDS_QUARANTINE_GROUP_NAME}), which has no rules`,
    );
  },
});
