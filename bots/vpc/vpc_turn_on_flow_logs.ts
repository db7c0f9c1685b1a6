import { z } from 'zod';
import type { EC2Client, FlowLog } from '@aws-sdk/client-ec2';
import { createHash } from 'node:crypto';
import { ChangeSet, alreadyCompliant, createOrAdopt, settlingConflict } from '../changes';
import { defineBot, recordedAfter } from '../types';
import { describeFlowLog, flowLogsCovering, type TrafficType } from './flow-log-coverage';
import { DELIVERY_ROLE_BOUNDARY_NAME, DELIVERY_ROLE_NAME, FLOW_LOGS_SERVICE, LOG_GROUP_PREFIX, logGroupNameFor } from './flow-log-delivery';
import { DELIVERY_SETUP_KIND, ensureDeliveryRole, ensureLogGroup } from './ensure-flow-log-delivery';
import { sdk } from '../sdk';

const NAME = 'vpc_turn_on_flow_logs';
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
/** A bucket ARN, optionally with a folder (`arn:aws:s3:::bucket/folder/`), as CreateFlowLogs takes it. */
const S3_DESTINATION = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/;

/** CloudBots values are lowercase; `AUTO:` tags are often typed as `All`. */
const lowercaseChoice = <T extends readonly [string, ...string[]]>(values: T) => z.string().trim().toLowerCase().pipe(z.enum(values));

const params = z
  .strictObject({
    traffic_type: lowercaseChoice(['all', 'accept', 'reject'] as const)
      .default('all')
      .describe('Traffic to capture: all, accept (accepted only) or reject (rejected only)'),
    destination: lowercaseChoice(['logs', 's3'] as const)
      .default('logs')
      .describe(
        `Where to deliver: logs (a CloudWatch Logs group ${LOG_GROUP_PREFIX}<vpc-id>, via role ${DELIVERY_ROLE_NAME}) or s3 (the bucket in s3_arn)`,
      ),
    s3_arn: z
      .string()
      .trim()
      .regex(S3_DESTINATION, 'must be an S3 bucket ARN, optionally with a folder, e.g. arn:aws:s3:::my-bucket/flow-logs/')
      .optional()
      .describe(
        'Bucket ARN (optionally with a folder) for destination=s3; its bucket policy must already let delivery.logs.amazonaws.com write',
      ),
  })
  .superRefine((value, issues) => {
    if (value.destination === 's3' && !value.s3_arn) {
      issues.addIssue({
        code: 'custom',
        path: ['s3_arn'],
        message: 's3_arn is required when destination=s3, e.g. s3_arn=arn:aws:s3:::my-bucket/flow-logs/',
      });
    }
    if (value.destination === 'logs' && value.s3_arn) {
      issues.addIssue({
        code: 'custom',
        path: ['s3_arn'],
        message: 's3_arn is only used with destination=s3; add destination=s3 or remove s3_arn',
      });
    }
  });

const FLOW_LOG_KIND = 'flow-log';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on flow logs for the VPC',
    description:
      'Creates a VPC flow log capturing the asked traffic type. The VPC is compliant when an active flow log already ' +
      'captures that traffic (an ALL log, one of the same type, or an ACCEPT and a REJECT log together), whatever its ' +
      'destination; existing flow logs are never changed. destination=logs (default) delivers to the log group ' +
      `${LOG_GROUP_PREFIX}<vpc-id>, one per VPC so each group's permissions, retention and cost follow its VPC and the ` +
      'bot can only create that one group; it is created without expiry. Delivery uses the role ' +
      `${DELIVERY_ROLE_NAME}, created once per account and reused, assumable only by ${FLOW_LOGS_SERVICE} for flow ` +
      'logs of the same account, allowed to write only to cloudmend flow log groups, and bounded by the AWS managed ' +
      `policy ${DELIVERY_ROLE_BOUNDARY_NAME} (CloudWatch Logs only). destination=s3 delivers to ` +
      's3_arn; the bot does not touch bucket policies (AWS would replace the whole policy), so the bucket must already ' +
      'allow delivery.logs.amazonaws.com to write, as an organization log archive bucket does.',
    resourceTypes: ['AWS::EC2::VPC'],
    remediates: { securityHub: ['EC2.6', 'CIS.2.9', 'PCI.EC2.6'], config: ['vpc-flow-logs-enabled'] },
    params,
    positional: ['traffic_type', 'destination', 's3_arn'],
    overridable: ['traffic_type'],
    sensitiveParams: { s3_arn: 'destination' },
    permissions: [
      {
        actions: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
        resources: ['*'],
        reason:
          'check the VPC exists before creating anything for it, and find the flow logs it already has (no resource-level permissions)',
      },
      {
        actions: ['ec2:CreateFlowLogs'],
        resources: ['arn:{partition}:ec2:{region}:{account}:vpc/{resourceId}', 'arn:{partition}:ec2:{region}:{account}:vpc-flow-log/*'],
        reason: 'create the flow log for the VPC',
      },
      {
        actions: ['ec2:CreateTags'],
        resources: ['arn:{partition}:ec2:{region}:{account}:vpc-flow-log/*'],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateFlowLogs' } },
        reason: 'tag the new flow log cloudmend:created-by while creating it (tagging nothing else)',
      },
      {
        actions: ['logs:DescribeLogGroups'],
        resources: ['*'],
        reason: "destination=logs: find the VPC's log group if a previous run created it (no resource-level permissions)",
      },
      {
        actions: ['logs:CreateLogGroup', 'logs:TagResource'],
        resources: [
          `arn:{partition}:logs:{region}:{account}:log-group:${LOG_GROUP_PREFIX}{resourceId}`,
          `arn:{partition}:logs:{region}:{account}:log-group:${LOG_GROUP_PREFIX}{resourceId}:*`,
        ],
        reason: "destination=logs: create the VPC's flow log group, tagged cloudmend:created-by",
      },
      {
        actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:TagRole'],
        resources: [`arn:{partition}:iam::{account}:role/${DELIVERY_ROLE_NAME}`],
        reason: 'destination=logs: check and reuse the flow log delivery role, and tag it cloudmend:created-by when creating it',
        global: true,
      },
      {
        actions: ['iam:CreateRole', 'iam:PutRolePolicy'],
        resources: [`arn:{partition}:iam::{account}:role/${DELIVERY_ROLE_NAME}`],
        conditions: { ArnLike: { 'iam:PermissionsBoundary': `arn:*:iam::aws:policy/${DELIVERY_ROLE_BOUNDARY_NAME}` } },
        reason:
          'destination=logs: create the flow log delivery role once per account and write its policy, only under a ' +
          'CloudWatch-Logs-only permissions boundary, so these rights can never mint a more powerful role',
        global: true,
      },
      {
        actions: ['iam:PassRole'],
        resources: [`arn:{partition}:iam::{account}:role/${DELIVERY_ROLE_NAME}`],
        conditions: { StringEquals: { 'iam:PassedToService': FLOW_LOGS_SERVICE } },
        reason: 'destination=logs: hand the delivery role to the flow logs service, and to nothing else',
        global: true,
      },
      {
        actions: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
        resources: ['*'],
        reason:
          'destination=s3: CreateFlowLogs sets up a CloudWatch Logs log delivery to the bucket; AWS requires both ' +
          'actions of the principal publishing flow logs to S3 (no resource-level permissions)',
      },
    ],
    undo: {
      [FLOW_LOG_KIND]: {
        reversible: true,
        how: 'deletes the flow log the remediation created (the logs it delivered stay in their destination)',
        permissions: [
          {
            actions: ['ec2:DescribeFlowLogs'],
            resources: ['*'],
            reason: 'undo: read whether the flow log still exists (DescribeFlowLogs supports no resource-level permissions)',
          },
          {
            actions: ['ec2:DeleteFlowLogs'],
            // The flow log the change recorded, by id: never another of the VPC's flow logs.
            resources: ['arn:{partition}:ec2:{region}:{account}:vpc-flow-log/{flowLogId}'],
            reason: 'undo: delete the flow log the remediation created',
          },
        ],
      },
      [DELIVERY_SETUP_KIND]: {
        reversible: false,
        why: 'the delivery role and log group flow logs write through are left: the group holds the records delivered so far, and both serve the account’s other flow logs',
      },
    },
  },
  undoers: {
    [FLOW_LOG_KIND]: {
      async read(ctx) {
        const { EC2Client, DescribeFlowLogsCommand } = await sdk.ec2();
        const { flowLogId } = recordedAfter<{ flowLogId: string }>(ctx);
        const { FlowLogs } = await ctx.client(EC2Client).send(new DescribeFlowLogsCommand({ FlowLogIds: [flowLogId] }));
        return (FlowLogs ?? []).some((f) => f.FlowLogId === flowLogId) ? { flowLogId } : null;
      },
      async write(ctx) {
        // The one state it restores: no such flow log.
        const { EC2Client, DeleteFlowLogsCommand } = await sdk.ec2();
        const { flowLogId } = recordedAfter<{ flowLogId: string }>(ctx);
        await ctx.client(EC2Client).send(new DeleteFlowLogsCommand({ FlowLogIds: [flowLogId] }));
      },
    },
  },
  async run(ctx) {
    const vpcId = ctx.finding.resource.id;
    if (!VPC_ID.test(vpcId)) throw new Error(`${NAME}: the finding's resource "${vpcId}" is not a VPC id (expected vpc-xxxxxxxx)`);
    const { traffic_type, destination, s3_arn } = ctx.params;
    if (s3_arn && S3_DESTINATION.exec(s3_arn)?.[1] !== ctx.partition) {
      throw new Error(`${NAME}: s3_arn ${s3_arn} is not in partition ${ctx.partition}, where VPC ${vpcId} is`);
    }
    const trafficType = traffic_type.toUpperCase() as TrafficType;
    const { EC2Client, CreateFlowLogsCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);

    // The target first: a VPC that is gone must leave no role or log group behind.
    await requireVpc(ec2, vpcId, ctx);
    const covering = flowLogsCovering(await flowLogsOf(ec2, vpcId), trafficType);
    if (covering.length > 0) {
      return alreadyCompliant(`VPC ${vpcId} already has ${trafficType} traffic captured by ${covering.map(describeFlowLog).join(' and ')}`);
    }

    const changes = new ChangeSet(ctx);
    const scope = { partition: ctx.partition, region: ctx.region, account: ctx.account, createdBy: NAME };
    let target: { LogDestinationType: 'cloud-watch-logs' | 's3'; LogDestination: string; DeliverLogsPermissionArn?: string };
    if (destination === 'logs') {
      const [{ IAMClient }, { CloudWatchLogsClient }] = await Promise.all([sdk.iam(), sdk.cloudWatchLogs()]);
      const roleArn = await ensureDeliveryRole(ctx.client(IAMClient), changes, scope);
      const groupArn = await ensureLogGroup(ctx.client(CloudWatchLogsClient), changes, scope, logGroupNameFor(vpcId));
      target = { LogDestinationType: 'cloud-watch-logs', LogDestination: groupArn, DeliverLogsPermissionArn: roleArn };
    } else {
      // The params schema already demands s3_arn with destination=s3.
      if (!s3_arn) throw new Error(`${NAME}: destination=s3 needs s3_arn`);
      target = { LogDestinationType: 's3', LogDestination: s3_arn };
    }

    const description = `a flow log of ${trafficType} traffic of VPC ${vpcId} to ${target.LogDestinationType} ${target.LogDestination}`;
    // The flow log's id is known once it is created: filled in below, before the change is recorded.
    const undo: { kind: string; before: null; after: { flowLogId: string } | null; ids?: { flowLogId: string[] } } = {
      kind: FLOW_LOG_KIND,
      before: null,
      after: null,
    };
    const outcome = await createOrAdopt(
      changes,
      {
        action: 'ec2:CreateFlowLogs',
        target: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:vpc/${vpcId}`,
        description: `created ${description}`,
        undo,
      },
      async () => {
        const output = await ec2.send(
          new CreateFlowLogsCommand({
            ResourceType: 'VPC',
            ResourceIds: [vpcId],
            TrafficType: trafficType,
            ...target,
            TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'cloudmend:created-by', Value: NAME }] }],
            // The same for every attempt at this finding: EC2 answers a repeated create (a redelivered event, a retry
            // after a lost response) with the flow log the first one made instead of making another.
            ClientToken: flowLogToken(ctx.finding.id, vpcId, trafficType, target.LogDestination),
          }),
        );
        // CreateFlowLogs reports per-resource failures in the response, not as an error.
        const failures = output.Unsuccessful ?? [];
        if (failures.length > 0 && failures.every((f) => f.Error?.Code === FLOW_LOG_EXISTS))
          throw Object.assign(new Error(FLOW_LOG_EXISTS), { name: FLOW_LOG_EXISTS });
        if (failures.length > 0 || !output.FlowLogIds?.length) {
          const reasons = failures.map((f) => `${f.Error?.Code ?? 'error'}: ${f.Error?.Message ?? 'no message'}`).join('; ');
          throw new Error(`CreateFlowLogs did not create a flow log for ${vpcId}: ${reasons || 'no flow log id returned'}`);
        }
        const flowLogId = output.FlowLogIds[0]!;
        undo.after = { flowLogId };
        undo.ids = { flowLogId: [flowLogId] };
        return output;
      },
      (error) => (error as { name?: string } | null)?.name === FLOW_LOG_EXISTS,
    );
    if (!outcome.created) {
      // Another run (or our own create, retried after its response was lost) made it: compliant, if it captures what was asked.
      const nowCovering = flowLogsCovering(await flowLogsOf(ec2, vpcId), trafficType);
      if (nowCovering.length === 0) throw settlingConflict(`${description}`);
      return changes.result(
        `prepared delivery for VPC ${vpcId}; its flow log was created meanwhile by another run: ${nowCovering.map(describeFlowLog).join(' and ')}`,
        `VPC ${vpcId} already has ${trafficType} traffic captured by ${nowCovering.map(describeFlowLog).join(' and ')} (created meanwhile by another run)`,
      );
    }
    return changes.result(`turned on flow logs (${trafficType}) for VPC ${vpcId} to ${target.LogDestinationType} ${target.LogDestination}`);
  },
});

const FLOW_LOG_EXISTS = 'FlowLogAlreadyExists';

/** An idempotency token for CreateFlowLogs (at most 64 characters), the same for every attempt at one finding's flow log. */
export function flowLogToken(findingId: string, vpcId: string, trafficType: string, destination: string): string {
  return createHash('sha256').update([findingId, vpcId, trafficType, destination].join('\n')).digest('hex');
}

async function requireVpc(ec2: EC2Client, vpcId: string, ctx: { account: string; region: string }): Promise<void> {
  const { DescribeVpcsCommand } = await sdk.ec2();
  const found = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })).then(
    (output) => output.Vpcs?.some((vpc) => vpc.VpcId === vpcId) ?? false,
    (error) => {
      if ((error as { name?: string } | null)?.name === 'InvalidVpcID.NotFound') return false;
      throw error;
    },
  );
  if (!found) throw new Error(`${NAME}: VPC ${vpcId} does not exist in account ${ctx.account} (${ctx.region}); nothing was created`);
}

async function flowLogsOf(ec2: EC2Client, vpcId: string): Promise<FlowLog[]> {
  const { paginateDescribeFlowLogs } = await sdk.ec2();
  const logs: FlowLog[] = [];
  for await (const page of paginateDescribeFlowLogs({ client: ec2 }, { Filter: [{ Name: 'resource-id', Values: [vpcId] }] })) {
    logs.push(...(page.FlowLogs ?? []));
  }
  return logs;
}
