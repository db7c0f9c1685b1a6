/**
 * What a tripped limit tells the operator: one message to the results topic
 * per scope and window (the caller claims it first, limits.ts `claimAlert`),
 * and a CloudWatch metric per run it stopped, in embedded metric format, like
 * the handler's other metrics (handler/metrics.ts).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { sdk } from '../../bots/sdk';
import { lambdaMetrics, type Metrics } from '../metrics';

export const RATE_LIMITED_METRIC = 'RateLimited';

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
  const [{ PublishCommand }, sns] = await Promise.all([sdk.sns(), options.sns()]);
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

/**
 * One `RateLimited` count, dimensioned by why (account limit, bot limit,
 * paused bot), in the namespace and service of the handler's other metrics
 * (handler/metrics.ts). Like them, written only inside Lambda unless a
 * Metrics is given.
 */
export function emitRateLimitedMetric(kind: LimitKind, metrics: Metrics | undefined = lambdaMetrics()): void {
  metrics?.emit({ limit: kind }, RATE_LIMITED_METRIC, 1);
}
