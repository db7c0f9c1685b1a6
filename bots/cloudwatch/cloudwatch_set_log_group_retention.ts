import { z } from 'zod';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { sdk } from '../sdk';

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** What the undoer reads and writes: the retention in days, or null for "never expire". */
interface RetentionState {
  retentionInDays: number | null;
}

const LOG_GROUP_ARN = 'arn:{partition}:logs:{region}:{account}:log-group:{resourceId}';

/** `arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/x` (a change's target) -> `/aws/lambda/x`. */
function logGroupOfTarget(target: string): string {
  const match = /^arn:[\w-]+:logs:[\w-]+:\d{12}:log-group:(.+?)(?::\*)?$/.exec(target);
  if (!match?.[1]) throw new Error(`${target} is not a log group ARN`);
  return match[1];
}

/** The group exactly (DescribeLogGroups matches by prefix), or undefined when it does not exist. */
async function describeLogGroup(logs: CloudWatchLogsClient, name: string): Promise<{ retentionInDays?: number | undefined } | undefined> {
  const { DescribeLogGroupsCommand } = await sdk.cloudWatchLogs();
  const { logGroups = [] } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
  return logGroups.find((group) => group.logGroupName === name);
}

async function readRetention(ctx: UndoContext): Promise<RetentionState> {
  const { CloudWatchLogsClient } = await sdk.cloudWatchLogs();
  const name = logGroupOfTarget(ctx.target);
  const group = await describeLogGroup(ctx.client(CloudWatchLogsClient), name);
  if (!group) throw new Error(`log group ${name} no longer exists`);
  return { retentionInDays: group.retentionInDays ?? null };
}

export default defineBot({
  meta: {
    name: 'cloudwatch_set_log_group_retention',
    summary: 'Keep the log group’s events for at least a minimum number of days (default 365)',
    description:
      'Sets the retention of a CloudWatch Logs log group to `days` (default 365, the period Security Hub CloudWatch.16 ' +
      'and AWS Automated Security Response use) when it keeps events for less. It only ever lengthens retention: a group ' +
      'that keeps events longer, or never expires them, is already compliant and is left alone, so the bot can never make ' +
      'CloudWatch delete log events. Longer retention costs storage: `days` is set in cloudmend.yaml only.',
    resourceTypes: ['AWS::Logs::LogGroup'],
    remediates: { securityHub: ['CloudWatch.16'], config: ['cw-loggroup-retention-period-check'] },
    params: z.strictObject({
      days: z.coerce
        .number()
        .int()
        .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), {
          message: `must be one of the periods CloudWatch Logs accepts: ${RETENTION_DAYS.join(', ')}`,
        })
        .default(365)
        .describe(`Minimum retention in days; one of ${RETENTION_DAYS.join(', ')}. Default 365.`),
    }),
    permissions: [
      {
        actions: ['logs:DescribeLogGroups'],
        resources: ['*'],
        reason: 'read the log group’s retention (DescribeLogGroups supports no resource-level permissions)',
      },
      {
        actions: ['logs:PutRetentionPolicy'],
        resources: [LOG_GROUP_ARN],
        reason: 'lengthen the retention of the finding’s log group, and of no other',
      },
    ],
    undo: {
      retention: {
        reversible: true,
        how: 'sets the retention back to what it was (CloudWatch then deletes events older than that period again)',
        permissions: [
          {
            actions: ['logs:DescribeLogGroups'],
            resources: ['*'],
            reason: 'undo: read the log group’s retention (no resource-level permissions)',
          },
          {
            actions: ['logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'],
            resources: [LOG_GROUP_ARN],
            reason: 'undo: set the log group’s retention back, or back to never expire',
          },
        ],
      },
    },
  },
  undoers: {
    retention: {
      read: readRetention,
      async write(ctx, state) {
        const { CloudWatchLogsClient, DeleteRetentionPolicyCommand, PutRetentionPolicyCommand } = await sdk.cloudWatchLogs();
        const logs = ctx.client(CloudWatchLogsClient);
        const logGroupName = logGroupOfTarget(ctx.target);
        const { retentionInDays } = state as RetentionState;
        if (retentionInDays === null) await logs.send(new DeleteRetentionPolicyCommand({ logGroupName }));
        else await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays }));
      },
    },
  },
  async run(ctx) {
    const { CloudWatchLogsClient, PutRetentionPolicyCommand } = await sdk.cloudWatchLogs();
    const logs = ctx.client(CloudWatchLogsClient);
    const name = ctx.finding.resource.id;
    const { days } = ctx.params;
    const group = await describeLogGroup(logs, name);
    if (!group) return skipped(`log group ${name} does not exist in ${ctx.region}; nothing to set`);
    const current = group.retentionInDays;
    const target = `arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${name}`;
    const changes = new ChangeSet(ctx);
    if (current !== undefined && current < days) {
      await changes.apply(
        {
          action: 'logs:PutRetentionPolicy',
          target,
          description: `retention ${current} -> ${days} days`,
          undo: {
            kind: 'retention',
            before: { retentionInDays: current } satisfies RetentionState,
            after: { retentionInDays: days } satisfies RetentionState,
          },
        },
        () => logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days })),
      );
    }
    return changes.result(
      `log group ${name} now keeps events for ${days} days (was ${current})`,
      `log group ${name} already keeps events for ${current === undefined ? 'ever (never expires)' : `${current} days`}, at least ${days}`,
    );
  },
});
