/**
 * Someone is told when a handler stack breaks: alarms on the DLQ, Lambda
 * errors and throttles, and failed remediations, notifying a configurable
 * topic; a dashboard; and no EventBridge event dropped untraced.
 */
import { createMetrics, recordResultMetrics } from '../../../handler/metrics';
import type { RemediationResult } from '../../../handler/report';
import { fixtureConfig, resources, synthDeployment } from '../fixtures/deployment';
import { type EmfLine, emfLinesOf, emfViolations } from '../../support/emf';

const REGION = 'eu-west-1';
const stackName = `cloudmend-handler-${REGION}`;

describe('handler stack observability', () => {
  const stack = synthDeployment(fixtureConfig()).byName(stackName);
  const alarms = Object.fromEntries(resources(stack, 'aws_cloudwatch_metric_alarm').map((a) => [a.alarm_name, a]));

  it('alarms on DLQ depth, Lambda errors, throttles and remediation failures, each notifying the alarm topic on alarm and on recovery', () => {
    expect(Object.keys(alarms).sort()).toEqual([
      `cloudmend-${REGION}-dlq-messages`,
      `cloudmend-${REGION}-errors`,
      `cloudmend-${REGION}-remediation-failures`,
      `cloudmend-${REGION}-throttles`,
    ]);
    expect(alarms[`cloudmend-${REGION}-dlq-messages`]).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: `cloudmend-dlq-${REGION}` },
      statistic: 'Maximum',
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarms[`cloudmend-${REGION}-errors`]).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: `cloudmend-handler-${REGION}` },
    });
    expect(alarms[`cloudmend-${REGION}-throttles`]).toMatchObject({ namespace: 'AWS/Lambda', metric_name: 'Throttles' });
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({
        alarm_actions: ['${aws_sns_topic.alarms.arn}'],
        ok_actions: ['${aws_sns_topic.alarms.arn}'],
        treat_missing_data: 'notBreaching',
        period: 300,
      });
    }
    expect(resources(stack, 'aws_sns_topic').map((t) => t.name)).toContain(`cloudmend-alarms-${REGION}`);
  });

  it('watches exactly the series the handler writes for a failed remediation (namespace, metric, service dimension)', () => {
    const env = resources(stack, 'aws_lambda_function')[0]!.environment.variables;
    const written: string[] = [];
    const failed = {
      findingId: 'f',
      source: 'config',
      bot: 'b',
      status: 'failed',
      message: '',
      changes: [],
      durationMs: 1,
      retryable: false,
      dryRun: false,
    };
    recordResultMetrics([failed as RemediationResult], createMetrics(env.POWERTOOLS_SERVICE_NAME, { write: (line) => written.push(line) }));
    expect(written.flatMap(emfViolations)).toEqual([]);
    const lines: EmfLine[] = emfLinesOf(written.join('\n'));
    const failureLine = lines.find((l) => l._aws.CloudWatchMetrics[0].Dimensions[0].length === 1)!;
    const alarm = alarms[`cloudmend-${REGION}-remediation-failures`];
    expect({
      namespace: failureLine._aws.CloudWatchMetrics[0].Namespace,
      metric_name: failureLine._aws.CloudWatchMetrics[0].Metrics[0]!.Name,
      dimensions: { service: failureLine.service },
    }).toEqual({ namespace: alarm.namespace, metric_name: alarm.metric_name, dimensions: alarm.dimensions });
  });

  it('notifies a given topic instead, in each region, and then creates none', () => {
    const config = fixtureConfig({
      regions: { include: ['eu-west-1', 'us-east-1'] },
      alarms: { topicArn: 'arn:aws:sns:{region}:999999999999:ops-alerts' },
    });
    const deployment = synthDeployment(config);
    for (const region of ['eu-west-1', 'us-east-1']) {
      const regional = deployment.byName(`cloudmend-handler-${region}`);
      const arns = new Set(resources(regional, 'aws_cloudwatch_metric_alarm').flatMap((a) => [...a.alarm_actions, ...a.ok_actions]));
      expect([...arns]).toEqual([`arn:aws:sns:${region}:999999999999:ops-alerts`]);
      expect(resources(regional, 'aws_sns_topic').map((t) => t.name)).not.toContain(`cloudmend-alarms-${region}`);
      expect(regional.tf.output?.alarms_topic_arn?.value).toBe(`arn:aws:sns:${region}:999999999999:ops-alerts`);
    }
  });

  it('takes the thresholds from the config', () => {
    const config = fixtureConfig({ alarms: { dlqMessages: 5, lambdaErrors: 3, throttles: 10, remediationFailures: 2 } });
    const thresholds = Object.fromEntries(
      resources(synthDeployment(config).byName(stackName), 'aws_cloudwatch_metric_alarm').map((a) => [
        a.alarm_name.replace(`cloudmend-${REGION}-`, ''),
        a.threshold,
      ]),
    );
    expect(thresholds).toEqual({ 'dlq-messages': 5, errors: 3, throttles: 10, 'remediation-failures': 2 });
  });

  it('gives every EventBridge target a retry policy and the DLQ, which lets exactly those rules send to it', () => {
    const targets = resources(stack, 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(4);
    for (const target of targets) {
      expect(target).toMatchObject({
        retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
        dead_letter_config: { arn: '${aws_sqs_queue.dlq.arn}' },
      });
    }
    const statements = JSON.parse(resources(stack, 'aws_sqs_queue_policy')[0]!.policy).Statement;
    expect(statements[1]).toEqual({
      Sid: 'EventRuleTargetsDeadLetter',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: `arn:aws:sqs:${REGION}:111111111111:cloudmend-dlq-${REGION}`,
      Condition: {
        ArnEquals: {
          'aws:SourceArn': ['guardduty', 'securityhub-imported', 'securityhub-action', 'config'].map(
            (id) => `arn:aws:events:${REGION}:111111111111:rule/cloudmend-${id}`,
          ),
        },
      },
    });
    const ruleNames = resources(stack, 'aws_cloudwatch_event_rule').map((r) => r.name);
    expect(statements[1].Condition.ArnEquals['aws:SourceArn'].map((a: string) => a.split('/')[1]).sort()).toEqual(ruleNames.sort());
  });

  it('lets no EventBridge rule write to the DLQ when there are no rules', () => {
    const bare = synthDeployment(
      fixtureConfig({
        mappings: { guardduty: {}, securityHub: {}, config: {} },
        bots: { enabled: ['ec2_stop_instance'], optIn: [], params: {} },
      }),
    ).byName('cloudmend-handler-us-east-1');
    expect(JSON.parse(resources(bare, 'aws_sqs_queue_policy')[0]!.policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'FindingsTopicRedrive',
    ]);
  });

  it('charts invocations, errors, throttles, duration, outcomes by bot and status, and the DLQ on one dashboard per region', () => {
    const [dashboard] = resources(stack, 'aws_cloudwatch_dashboard');
    expect(dashboard!.dashboard_name).toBe(`cloudmend-${REGION}`);
    const body = JSON.parse(dashboard!.dashboard_body) as { widgets: { properties: { metrics: unknown[][]; region: string } }[] };
    const metrics = body.widgets.flatMap((w) => w.properties.metrics);
    const named = metrics.filter((m: unknown[]) => typeof m[0] === 'string').map((m) => `${m[0]} ${m[1]}`);
    expect(new Set(named)).toEqual(
      new Set([
        'AWS/Lambda Invocations',
        'AWS/Lambda Errors',
        'AWS/Lambda Throttles',
        'AWS/Lambda Duration',
        'AWS/SQS ApproximateNumberOfMessagesVisible',
        'AWS/SQS ApproximateAgeOfOldestMessage',
      ]),
    );
    expect(JSON.stringify(body)).toContain(
      `SEARCH('{cloudmend,bot,service,status} MetricName=\\"Remediations\\" service=\\"cloudmend\\"', 'Sum', 300)`,
    );
    expect(body.widgets.every((w) => w.properties.region === REGION)).toBe(true);
  });
});
