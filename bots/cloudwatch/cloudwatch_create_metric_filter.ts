import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { CIS_METRIC_FILTERS } from './cis-metric-filters';
import { sdk } from '../sdk';

const NAME = 'cloudwatch_create_metric_filter';
export const ALARM_TOPIC = 'cloudmend-cis-alarms';
export const METRIC_NAMESPACE = 'CISBenchmark';
const ALARM_PREFIX = 'cloudmend-cis-';
const IDS = CIS_METRIC_FILTERS.map((f) => f.id);
/** The filters, alarms and topic the bot creates: kept on undo. */
const MONITORING_KIND = 'cis-monitoring';
const MONITORING_CHANGE = { kind: MONITORING_KIND, before: null, after: null } as const;
/** The email subscription: SNS gives it no ARN until confirmed. */
const SUBSCRIPTION_KIND = 'alarm-subscription';

const filterList = z
  .union([z.array(z.string()), z.string().transform((text) => text.split(',').filter((s) => s.trim() !== ''))])
  .transform((ids) => ids.map((id) => id.trim().replace(/^CIS[\s._-]*/i, '')))
  .pipe(z.array(z.enum(IDS as [string, ...string[]], { message: `a CIS 1.2.0 monitoring rule id, one of ${IDS.join(', ')}` })).min(1));

const LOG_GROUP_ARN = /^arn:[\w-]+:logs:([\w-]+):(\d{12}):log-group:(.+?)(?::\*)?$/;

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Create the CIS 3.1-3.14 metric filters and alarms on the trail’s log group, alarming to an SNS topic',
    description:
      'Finds the log group a multi-Region trail of the account delivers to in this Region (cloudtrail_send_to_cloudwatch makes ' +
      'one) and, for each CIS AWS Foundations 1.2.0 monitoring rule in `filters` (default all fourteen), adds the benchmark’s ' +
      `metric filter (namespace ${METRIC_NAMESPACE}) and an alarm ${ALARM_PREFIX}<name> on any match, notifying the SNS ` +
      `topic ${ALARM_TOPIC} (created once). With \`email\`, that address is subscribed (it must confirm). Existing filters ` +
      'and alarms of those names are left as they are. Without such a trail the bot skips: there is nothing to watch. Undo ' +
      'leaves the filters, alarms, topic and subscription in place (each change says why).',
    resourceTypes: ['AWS::::Account'],
    remediates: {
      securityHub: [...CIS_METRIC_FILTERS.map((f) => f.control), ...CIS_METRIC_FILTERS.map((f) => `CIS.${f.id}`), 'PCI.CW.1'],
    },
    params: z.strictObject({
      filters: filterList.default(IDS).describe('the CIS 1.2.0 rules to cover, comma-separated (3.1-3.14); default all'),
      email: z.email('an email address').optional().describe('subscribe this address to the alarm topic'),
    }),
    permissions: [
      {
        actions: ['cloudtrail:DescribeTrails'],
        resources: ['*'],
        reason: 'find the trail that delivers to CloudWatch Logs (no resource-level permissions)',
      },
      {
        actions: ['logs:DescribeMetricFilters', 'logs:PutMetricFilter'],
        // The trail's log group is whatever the account chose.
        resources: ['arn:{partition}:logs:{region}:{account}:log-group:*'],
        reason: "read and add the CIS metric filters on the trail's log group",
      },
      {
        actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm'],
        resources: [`arn:{partition}:cloudwatch:{region}:{account}:alarm:${ALARM_PREFIX}*`],
        reason: 'read and create the CIS alarms (only alarms of that prefix)',
      },
      {
        actions: ['sns:CreateTopic', 'sns:ListSubscriptionsByTopic', 'sns:Subscribe'],
        resources: [`arn:{partition}:sns:{region}:{account}:${ALARM_TOPIC}`],
        reason: `create the alarm topic ${ALARM_TOPIC} and subscribe the given address`,
      },
    ],
    undo: {
      [MONITORING_KIND]: {
        reversible: false,
        why:
          'the CIS metric filters, their alarms and the alarm topic are kept: removing them would silently stop alerting on the ' +
          'security events CIS 3.1-3.14 watch for (root use, IAM, network and trail changes...), and they grant nothing; ' +
          'delete them by hand when unwanted',
      },
      [SUBSCRIPTION_KIND]: {
        reversible: false,
        why:
          'SNS gives an email subscription pending confirmation no ARN to unsubscribe with; the recipient can unsubscribe with ' +
          'the link in every message, or an operator can remove the confirmed subscription from the topic',
      },
    },
  },
  async run(ctx) {
    const { CloudTrailClient, DescribeTrailsCommand } = await sdk.cloudTrail();
    const { CloudWatchLogsClient, DescribeMetricFiltersCommand, PutMetricFilterCommand } = await sdk.cloudWatchLogs();
    const { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } = await sdk.cloudWatch();
    const { SNSClient, CreateTopicCommand, ListSubscriptionsByTopicCommand, SubscribeCommand } = await sdk.sns();

    const { trailList = [] } = await ctx.client(CloudTrailClient).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const group = trailList
      .filter((t) => t.IsMultiRegionTrail)
      .map((t) => LOG_GROUP_ARN.exec(t.CloudWatchLogsLogGroupArn ?? ''))
      .find((m) => m && m[1] === ctx.region && m[2] === ctx.account);
    if (!group) {
      return skipped(
        `no multi-Region trail of account ${ctx.account} delivers to CloudWatch Logs in ${ctx.region}; run cloudtrail_send_to_cloudwatch first`,
      );
    }
    const logGroupName = group[3] as string;
    const wanted = CIS_METRIC_FILTERS.filter((f) => ctx.params.filters.includes(f.id));
    const logs = ctx.client(CloudWatchLogsClient);
    const cloudwatch = ctx.client(CloudWatchClient);
    const sns = ctx.client(SNSClient);
    const changes = new ChangeSet(ctx);
    const topicArn = `arn:${ctx.partition}:sns:${ctx.region}:${ctx.account}:${ALARM_TOPIC}`;

    const { metricFilters = [] } = await logs.send(new DescribeMetricFiltersCommand({ logGroupName }));
    const haveFilters = new Set(metricFilters.map((f) => f.filterName));
    const alarmNames = wanted.map((f) => `${ALARM_PREFIX}${f.name}`);
    const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames }));
    const haveAlarms = new Set(MetricAlarms.map((a) => a.AlarmName));

    const missingAlarms = wanted.filter((f) => !haveAlarms.has(`${ALARM_PREFIX}${f.name}`));
    const email = ctx.params.email;
    let subscribed = false;
    if (email) {
      try {
        const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
        subscribed = Subscriptions.some((s) => s.Protocol === 'email' && s.Endpoint === email);
      } catch (error) {
        if ((error as { name?: string }).name !== 'NotFoundException') throw error;
      }
    }
    if (missingAlarms.length > 0 || (email && !subscribed)) {
      // CreateTopic answers with the existing topic of that name: safe to repeat.
      await changes.apply(
        {
          action: 'sns:CreateTopic',
          target: topicArn,
          description: `alarm topic ${ALARM_TOPIC} created (or found)`,
          undo: MONITORING_CHANGE,
        },
        () => sns.send(new CreateTopicCommand({ Name: ALARM_TOPIC })),
      );
    }
    for (const filter of wanted) {
      if (!haveFilters.has(filter.name)) {
        await changes.apply(
          {
            action: 'logs:PutMetricFilter',
            target: logGroupName,
            description: `CIS ${filter.id} metric filter ${filter.name}`,
            undo: MONITORING_CHANGE,
          },
          () =>
            logs.send(
              new PutMetricFilterCommand({
                logGroupName,
                filterName: filter.name,
                filterPattern: filter.pattern,
                metricTransformations: [{ metricName: filter.name, metricNamespace: METRIC_NAMESPACE, metricValue: '1' }],
              }),
            ),
        );
      }
    }
    for (const filter of missingAlarms) {
      const alarmName = `${ALARM_PREFIX}${filter.name}`;
      await changes.apply(
        {
          action: 'cloudwatch:PutMetricAlarm',
          target: alarmName,
          description: `CIS ${filter.id} alarm on any ${filter.name}`,
          undo: MONITORING_CHANGE,
        },
        () =>
          cloudwatch.send(
            new PutMetricAlarmCommand({
              AlarmName: alarmName,
              AlarmDescription: `CIS ${filter.id}: ${filter.name} (created by cloudmend)`,
              MetricName: filter.name,
              Namespace: METRIC_NAMESPACE,
              Statistic: 'Sum',
              Period: 300,
              EvaluationPeriods: 1,
              Threshold: 1,
              ComparisonOperator: 'GreaterThanOrEqualToThreshold',
              TreatMissingData: 'notBreaching',
              AlarmActions: [topicArn],
            }),
          ),
      );
    }
    if (email && !subscribed) {
      await changes.apply(
        {
          action: 'sns:Subscribe',
          target: topicArn,
          description: `${email} subscribed (must confirm)`,
          undo: { kind: SUBSCRIPTION_KIND, before: null, after: null },
        },
        () => sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: email })),
      );
    }
    return changes.result(
      `CIS ${wanted.map((f) => f.id).join(', ')} metric filters and alarms are on log group ${logGroupName}, alarming to ${ALARM_TOPIC}`,
      `every CIS metric filter and alarm asked for (${wanted.map((f) => f.id).join(', ')}) is already on log group ${logGroupName}`,
    );
  },
});
