/**
 * The Lambda entry. Retryable failures (throttling, 5xx, network) fail the
 * invocation so Lambda retries it and, after its retries, hands it to the
 * dead-letter queue; for SQS batches only the affected records are returned as
 * batch item failures. Permanent failures are reported and not retried. A
 * failed report publish fails the invocation too: an outcome nobody received is
 * not done. Bots are idempotent, so a retried event reports `already-compliant`
 * for what already succeeded.
 *
 * Keep this module graph light: no SDK client is loaded at init; STS and SNS
 * load on first use, each bot loads its own client when it runs.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Context, EventBridgeEvent, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { botNames, getBot } from '../bots';
import type { RuntimeConfig } from '../config/runtime';
import { MemberCredentialsCache } from './credentials';
import type { FeedbackClients } from './feedback';
import { feedbackClients } from './feedback/clients';
import { RetryableFailureError } from './errors';
import { lazy } from '../bots/lazy';
import { createLogger, type Logger } from './log';
import { processEvent, type ProcessOutcome } from './process-event';
import { publishResults, type RemediationResult } from './report';
import { effectiveDryRun, loadRuntimeConfig, readInvocation } from './runtime-config';
import { remediationStateFor } from './state/for-invocation';
import { sdk } from '../bots/sdk';

interface Container {
  config: RuntimeConfig;
  credentials: MemberCredentialsCache;
  log: Logger;
  region: string;
  sns?: () => Promise<SNSClient>;
  feedback: FeedbackClients;
}

let container: Container | undefined;

/** What lives as long as the container: config, logger, SDK clients, credential cache. */
function getContainer(): Container {
  if (container) return container;
  const config = loadRuntimeConfig();
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const sts = lazy<STSClient>(async () => new (await sdk.sts()).STSClient({ region }));
  const log = createLogger();
  if (!process.env.CLOUDMEND_OUTPUT_TOPIC_ARN) log.warn('CLOUDMEND_OUTPUT_TOPIC_ARN is not set: results are logged, not published');
  container = {
    config,
    credentials: new MemberCredentialsCache({ sts, config }),
    log,
    region,
    sns: lazy<SNSClient>(async () => new (await sdk.sns()).SNSClient({ region })),
    feedback: feedbackClients(config, region),
  };
  return container;
}

/** For tests: forget the container, as a new one would. */
export function resetContainer(): void {
  container = undefined;
}

const registry = { getBot, botNames };

function isSqsEvent(event: unknown): boolean {
  const records = (event as { Records?: unknown })?.Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as { eventSource?: unknown })?.eventSource === 'aws:sqs';
}

function summary(outcome: ProcessOutcome): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of outcome.results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

function describeRetryable(results: RemediationResult[]): string {
  const shown = results.slice(0, 5).map((r) => `${r.bot ?? r.errorName} on ${r.resource?.id ?? r.findingId}: ${r.errorName}`);
  return `${results.length} remediation(s) failed with transient errors and will be retried: ${shown.join('; ')}${results.length > 5 ? '; ...' : ''}`;
}

/**
 * What may arrive: an SNS or SQS event, an EventBridge event (direct rule
 * target), a bare finding (local invoke), or `{ dryRun: true, event }`. Typed
 * for documentation only: every field is checked at run time.
 */
export type CloudmendEvent =
  | SNSEvent
  | SQSEvent
  | EventBridgeEvent<string, unknown>
  | { dryRun: boolean; event: unknown }
  | Record<string, unknown>;

export type HandlerResponse = SQSBatchResponse | { results: Record<string, number>; dryRun: boolean };

export const handler = async (
  event: CloudmendEvent,
  context?: Pick<Context, 'awsRequestId'> & Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
): Promise<HandlerResponse> => {
  const c = getContainer();
  const log = context?.awsRequestId ? c.log.child({ requestId: context.awsRequestId }) : c.log;
  const invocation = readInvocation(event);
  const dryRun = effectiveDryRun(c.config, invocation);
  const topicArn = process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
  const sns = c.sns;
  const outcome = await processEvent(invocation.event, {
    config: c.config,
    registry,
    credentials: c.credentials,
    dryRun,
    defaultRegion: c.region,
    log,
    feedback: c.feedback,
    state: remediationStateFor({ config: c.config, region: c.region, log, topicArn, sns, context }),
    ...(topicArn && sns
      ? {
          publish: async (results: RemediationResult[]) => {
            try {
              await publishResults(results, { topicArn, sns });
            } catch (error) {
              log.error('report publish failed; failing the invocation so it is retried', { error });
              throw error;
            }
          },
        }
      : {}),
  });

  if (isSqsEvent(invocation.event)) {
    const ids = new Set(outcome.retryable.map((r) => r.recordId));
    if (ids.has(undefined)) throw new RetryableFailureError(describeRetryable(outcome.retryable));
    return { batchItemFailures: [...ids].flatMap((id) => (id === undefined ? [] : [{ itemIdentifier: id }])) };
  }
  if (outcome.retryable.length > 0) throw new RetryableFailureError(describeRetryable(outcome.retryable));
  return { results: summary(outcome), dryRun };
};
