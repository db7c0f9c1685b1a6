/**
 * Someone is told when it breaks: alarms on the DLQ (events that will not be
 * remediated without `cloudmend redrive`), the handler's errors and throttles,
 * and failed remediations (the metric handler/metrics.ts writes). They notify
 * `alarms.topicArn` for this region, or a topic this stack creates.
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { forRegion } from '../../config/operations-schema';
import { HANDLER_METRICS } from '../../config/runtime';
import type { HandlerContext } from './context';
import { type EncryptionKey, topicKey } from './encryption';

/** Five minutes: short enough to page on a broken handler, long enough not to page on one retried event. */
const PERIOD_SECONDS = 300;

export interface AlarmTargets {
  /** The topic the alarms notify: given in the config or created here. */
  topicArn: string;
  alarms: CloudwatchMetricAlarm[];
}

export function addAlarmTopic(ctx: HandlerContext, key: EncryptionKey): { topicArn: string; created?: SnsTopic } {
  const given = ctx.config.alarms.topicArn;
  if (given) return { topicArn: forRegion(given, ctx.region) };
  const kmsMasterKeyId = topicKey(ctx, key, 'alarms');
  const created = new SnsTopic(ctx.scope, 'alarms', { name: ctx.names.alarmTopic, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) });
  return { topicArn: created.arn, created };
}

export function addAlarms(ctx: HandlerContext, topicArn: string): CloudwatchMetricAlarm[] {
  const { config, names } = ctx;
  const thresholds = config.alarms;
  const alarm = (
    id: string,
    description: string,
    metric: { namespace: string; metricName: string; statistic: string; dimensions: Record<string, string> },
    threshold: number,
  ) =>
    new CloudwatchMetricAlarm(ctx.scope, `alarm-${id}`, {
      alarmName: `${names.alarm}-${id}`,
      alarmDescription: description,
      ...metric,
      period: PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No data is the quiet state: no failures, no throttles, an empty queue.
      treatMissingData: 'notBreaching',
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
  const lambda = (metricName: string) => ({
    namespace: 'AWS/Lambda',
    metricName,
    statistic: 'Sum',
    dimensions: { FunctionName: names.function },
  });
  return [
    alarm(
      'dlq-messages',
      `Events wait in ${names.dlq} after their retries: find the cause in the handler's log, then replay them with cloudmend redrive --region ${ctx.region}`,
      {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        statistic: 'Maximum',
        dimensions: { QueueName: names.dlq },
      },
      thresholds.dlqMessages,
    ),
    alarm(
      'errors',
      `${names.function} failed invocations (they are retried, then kept in ${names.dlq})`,
      lambda('Errors'),
      thresholds.lambdaErrors,
    ),
    alarm(
      'throttles',
      `${names.function} was throttled: raise handler.reservedConcurrency if the account's Lambda quota allows (cloudmend doctor)`,
      lambda('Throttles'),
      thresholds.throttles,
    ),
    alarm(
      'remediation-failures',
      "Remediations failed: the results topic and the handler's log say which bot, on what, and why",
      {
        namespace: HANDLER_METRICS.namespace,
        metricName: HANDLER_METRICS.failures,
        statistic: 'Sum',
        dimensions: { service: names.metricsService },
      },
      thresholds.remediationFailures,
    ),
  ];
}
