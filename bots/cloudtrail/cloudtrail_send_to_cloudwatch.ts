import { z } from 'zod';
import { alreadyCompliant, ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import {
  CLOUDTRAIL_SERVICE,
  ensureTrailLogGroup,
  ensureTrailRole,
  TRAIL_LOG_GROUP,
  TRAIL_ROLE_BOUNDARY,
  TRAIL_ROLE_NAME,
} from './cloudwatch-delivery';
import { readTrail, TRAIL_READ_UPDATE } from './trail';
import {
  CLOUDWATCH_DELIVERY_KIND,
  CLOUDWATCH_DELIVERY_UNDO,
  cloudWatchDeliveryUndoer,
  DELIVERY_SETUP_KIND,
  DELIVERY_SETUP_UNDO,
  trailChange,
} from './cloudtrail-undo';
import { sdk } from '../sdk';

const NAME = 'cloudtrail_send_to_cloudwatch';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Deliver the trail to a CloudWatch Logs group (created if missing), with the role CloudTrail needs',
    description:
      `Points the trail at the log group ${TRAIL_LOG_GROUP} in its home Region (created once, without expiry) through the role ` +
      `${TRAIL_ROLE_NAME} (created once per account, assumable only by ${CLOUDTRAIL_SERVICE} for this account, allowed only to ` +
      `write that log group, and bounded by the AWS managed policy ${TRAIL_ROLE_BOUNDARY}). A trail already delivering to a ` +
      'log group is left alone; an organization trail seen from a member account is skipped. The CIS metric filters ' +
      '(cloudwatch_create_metric_filter) read this log group. A role created seconds before may not be usable by CloudTrail ' +
      'yet: the update then fails and the retried event succeeds.',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    remediates: { securityHub: ['CloudTrail.5', 'CIS.2.4', 'PCI.CloudTrail.4'], config: ['cloud-trail-cloud-watch-logs-enabled'] },
    params: z.strictObject({}),
    permissions: [
      ...TRAIL_READ_UPDATE,
      {
        actions: ['logs:DescribeLogGroups'],
        resources: ['*'],
        reason: 'find the trail log group a previous run created (no resource-level permissions)',
      },
      {
        actions: ['logs:CreateLogGroup', 'logs:TagResource'],
        resources: [
          `arn:{partition}:logs:*:{account}:log-group:${TRAIL_LOG_GROUP}`,
          `arn:{partition}:logs:*:{account}:log-group:${TRAIL_LOG_GROUP}:*`,
        ],
        reason: `create the log group ${TRAIL_LOG_GROUP}, tagged cloudmend:created-by`,
      },
      {
        actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:TagRole'],
        resources: [`arn:{partition}:iam::{account}:role/${TRAIL_ROLE_NAME}`],
        reason: 'check and reuse the delivery role, and tag it cloudmend:created-by when creating it',
        global: true,
      },
      {
        actions: ['iam:CreateRole', 'iam:PutRolePolicy'],
        resources: [`arn:{partition}:iam::{account}:role/${TRAIL_ROLE_NAME}`],
        conditions: { ArnLike: { 'iam:PermissionsBoundary': `arn:*:iam::aws:policy/${TRAIL_ROLE_BOUNDARY}` } },
        reason: 'create the delivery role once per account and write its policy, only under a CloudWatch-Logs-only permissions boundary',
        global: true,
      },
      {
        actions: ['iam:PassRole'],
        resources: [`arn:{partition}:iam::{account}:role/${TRAIL_ROLE_NAME}`],
        conditions: { StringEquals: { 'iam:PassedToService': CLOUDTRAIL_SERVICE } },
        reason: 'hand the delivery role to CloudTrail (and to no other service)',
        global: true,
      },
    ],
    undo: { [CLOUDWATCH_DELIVERY_KIND]: CLOUDWATCH_DELIVERY_UNDO, [DELIVERY_SETUP_KIND]: DELIVERY_SETUP_UNDO },
  },
  undoers: { [CLOUDWATCH_DELIVERY_KIND]: cloudWatchDeliveryUndoer },
  async run(ctx) {
    const { UpdateTrailCommand } = await sdk.cloudTrail();
    const { CloudWatchLogsClient } = await sdk.cloudWatchLogs();
    const { IAMClient } = await sdk.iam();
    const found = await readTrail(ctx, NAME);
    if (found.trail.IsOrganizationTrail && found.owner !== ctx.account) {
      return skipped(`${found.name} is an organization trail owned by account ${found.owner}; deliver it to CloudWatch Logs there`);
    }
    if (found.trail.CloudWatchLogsLogGroupArn) {
      return alreadyCompliant(`trail ${found.name} already delivers to ${found.trail.CloudWatchLogsLogGroupArn}`);
    }
    const changes = new ChangeSet(ctx);
    const scope = { partition: ctx.partition, account: ctx.account, region: found.homeRegion, createdBy: NAME };
    const logs =
      found.homeRegion === ctx.region ? ctx.client(CloudWatchLogsClient) : ctx.client(CloudWatchLogsClient, { region: found.homeRegion });
    const group = await ensureTrailLogGroup(logs, changes, scope);
    const role = await ensureTrailRole(ctx.client(IAMClient), changes, scope);
    await changes.apply(
      {
        action: 'cloudtrail:UpdateTrail',
        target: found.arn,
        description: `delivers to CloudWatch Logs group ${TRAIL_LOG_GROUP} through ${TRAIL_ROLE_NAME}`,
        undo: trailChange(CLOUDWATCH_DELIVERY_KIND, found.homeRegion, null, {
          CloudWatchLogsLogGroupArn: `${group}:*`,
          CloudWatchLogsRoleArn: role,
        }),
      },
      async () =>
        (await found.updater()).send(
          new UpdateTrailCommand({ Name: found.arn, CloudWatchLogsLogGroupArn: `${group}:*`, CloudWatchLogsRoleArn: role }),
        ),
    );
    return changes.result(`trail ${found.name} now delivers to CloudWatch Logs group ${TRAIL_LOG_GROUP}`);
  },
});
