/**
 * What a tripped limit tells the operator: one message to the results topic
 * per scope and window (the caller claims it first, limits.ts `claimAlert`),
 * and a CloudWatch metric per run it stopped, in embedded metric format through
 * Powertools Metrics (the same library and namespace as the handler's other
 * metrics, so dashboards and alarms read one namespace).
 */
import type { SNSClient } from '@aws-sdk/client-sns';

export const METRICS_NAMESPACE = 'cloudmend';
export const METRICS_SERVICE = 'cloudmend-handler';

export type LimitKind = 'account-limit' | 'bot-limit' | 'bot-paused';

export interface LimitAlert {
  kind: LimitKind;
  /** e.g. `account 222222222222` or `bot s3_block_all_public_access in account 222222222222`. */
  scope: string;
  /** What happened and what happens now, for people. */
  message: string;
  region: string;
  window?: string;
}

/** Subjects (shown in e-mail) must be ASCII without line breaks and under 100 characters. */
function subjectOf(alert: LimitAlert): string {
  const text = `cloudmend ${alert.kind === 'bot-paused' ? 'paused' : 'limit reached'}: ${alert.scope} (${alert.region})`;
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 99);
}

export async function publishAlert(alert: LimitAlert, options: { topicArn: string; sns: () => Promise<SNSClient> }): Promise<void> {
  const [{ PublishCommand }, sns] = await Promise.all([import('@aws-sdk/client-sns'), options.sns()]);
  await sns.send(
    new PublishCommand({
      TopicArn: options.topicArn,
      Subject: subjectOf(alert),
      Message: JSON.stringify({ alert }),
      // Subscribers filter on these, as on results: e.g. limits to the on-call address.
      MessageAttributes: { status: { DataType: 'String', StringValue: alert.kind } },
    }),
  );
}

/** One `RateLimited` count, dimensioned by why: account limit, bot limit or paused bot. */
export async function emitRateLimitedMetric(kind: LimitKind): Promise<void> {
  const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  metrics.addDimension('limit', kind);
  metrics.addMetric('RateLimited', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
