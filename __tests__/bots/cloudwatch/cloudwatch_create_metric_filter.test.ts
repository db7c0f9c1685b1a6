import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, NotFoundException, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import bot from '../../../bots/cloudwatch/cloudwatch_create_metric_filter';
import { CIS_METRIC_FILTERS } from '../../../bots/cloudwatch/cis-metric-filters';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';

const account = { type: 'AWS::::Account', id: '222222222222' };
const GROUP = 'CloudTrail/audit';
const TOPIC = 'arn:aws:sns:us-east-1:222222222222:cloudmend-cis-alarms';
const trail = {
  Name: 'audit',
  IsMultiRegionTrail: true,
  CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:222222222222:log-group:${GROUP}:*`,
};

describe('cloudwatch_create_metric_filter', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  const logs = mockClient(CloudWatchLogsClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const sns = mockClient(SNSClient);
  const all = [cloudtrail, logs, cloudwatch, sns];
  beforeEach(() => {
    for (const m of all) m.reset();
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [trail] });
    logs.on(DescribeMetricFiltersCommand).resolves({ metricFilters: [] });
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  });
  afterAll(() => {
    for (const m of all) m.restore();
  });

  it('adds all fourteen CIS filters and alarms on the trail log group, alarming to the topic', async () => {
    const result = await bot.run(botContext(bot, { resource: account }));

    expect(logs.commandCalls(DescribeMetricFiltersCommand)[0]!.args[0].input).toEqual({ logGroupName: GROUP });
    expect(sns.commandCalls(CreateTopicCommand)[0]!.args[0].input).toEqual({ Name: 'cloudmend-cis-alarms' });
    const filters = logs.commandCalls(PutMetricFilterCommand).map((c) => c.args[0].input);
    expect(filters).toHaveLength(14);
    expect(filters[2]).toEqual({
      logGroupName: GROUP,
      filterName: 'RootAccountUsage',
      filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      metricTransformations: [{ metricName: 'RootAccountUsage', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    });
    const alarms = cloudwatch.commandCalls(PutMetricAlarmCommand).map((c) => c.args[0].input);
    expect(alarms.map((a) => a.AlarmName)).toEqual(CIS_METRIC_FILTERS.map((f) => `cloudmend-cis-${f.name}`));
    expect(alarms[0]).toMatchObject({ MetricName: 'UnauthorizedAPICalls', Namespace: 'CISBenchmark', Threshold: 1, AlarmActions: [TOPIC] });
    expect(result.status).toBe('remediated');
  });

  it('covers only the filters asked for, and subscribes the address once', async () => {
    expect(resolveParams(bot.meta, ['filters=3.3,CIS.3.1', 'email=secops@example.com'])).toEqual({
      ok: true,
      params: { filters: ['3.3', '3.1'], email: 'secops@example.com' },
    });
    sns.on(ListSubscriptionsByTopicCommand).rejects(new NotFoundException({ message: 'Topic does not exist (test)', $metadata: {} }));

    const result = await bot.run(botContext(bot, { resource: account, params: { filters: ['3.3', '3.1'], email: 'secops@example.com' } }));
    // Everything it sets up is kept on undo, each change naming an irreversible kind that says why.
    expect(result.changes.map((c) => [c.action, c.undo])).toEqual([
      ['sns:CreateTopic', { kind: 'cis-monitoring', before: null, after: null }],
      ['logs:PutMetricFilter', { kind: 'cis-monitoring', before: null, after: null }],
      ['logs:PutMetricFilter', { kind: 'cis-monitoring', before: null, after: null }],
      ['cloudwatch:PutMetricAlarm', { kind: 'cis-monitoring', before: null, after: null }],
      ['cloudwatch:PutMetricAlarm', { kind: 'cis-monitoring', before: null, after: null }],
      ['sns:Subscribe', { kind: 'alarm-subscription', before: null, after: null }],
    ]);
    expect(Object.values(bot.meta.undo ?? {}).map((k) => k.reversible)).toEqual([false, false]);

    expect(logs.commandCalls(PutMetricFilterCommand).map((c) => c.args[0].input.filterName)).toEqual([
      'UnauthorizedAPICalls',
      'RootAccountUsage',
    ]);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toEqual({
      AlarmNames: ['cloudmend-cis-UnauthorizedAPICalls', 'cloudmend-cis-RootAccountUsage'],
    });
    expect(sns.commandCalls(SubscribeCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
  });

  it('rejects a rule it does not know, naming the ones it does', () => {
    const result = resolveParams(bot.meta, ['filters=3.15']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('a CIS 1.2.0 monitoring rule id, one of 3.1, 3.2');
  });

  it('is compliant when every filter and alarm exists and the address is subscribed', async () => {
    logs.on(DescribeMetricFiltersCommand).resolves({ metricFilters: CIS_METRIC_FILTERS.map((f) => ({ filterName: f.name })) });
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: CIS_METRIC_FILTERS.map((f) => ({ AlarmName: `cloudmend-cis-${f.name}` })) });
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [{ Protocol: 'email', Endpoint: 'secops@example.com' }] });
    const result = await bot.run(botContext(bot, { resource: account, params: { email: 'secops@example.com' } }));
    expect(result.status).toBe('already-compliant');
    expect(sns.commandCalls(CreateTopicCommand)).toHaveLength(0);
  });

  it('skips when no multi-Region trail delivers to CloudWatch Logs here', async () => {
    cloudtrail
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [{ ...trail, CloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-1:222222222222:log-group:x:*' }] });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(result).toEqual({
      status: 'skipped',
      message:
        'no multi-Region trail of account 222222222222 delivers to CloudWatch Logs in us-east-1; run cloudtrail_send_to_cloudwatch first',
      changes: [],
    });
  });

  it('in dry run creates nothing', async () => {
    const result = await bot.run(botContext(bot, { resource: account, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(logs.commandCalls(PutMetricFilterCommand)).toHaveLength(0);
    expect(cloudwatch.commandCalls(PutMetricAlarmCommand)).toHaveLength(0);
    expect(sns.commandCalls(CreateTopicCommand)).toHaveLength(0);
  });
});
