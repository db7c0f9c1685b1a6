/**
 * `cloudmend redrive --region R [--dry-run] [--max N] [--config F] [--queue-url U]`:
 * replays what waits in a handler's dead-letter queue through the handler's
 * own code (processEvent), with the operator's credentials, and deletes a
 * message only when its replay succeeded: every result remediated,
 * already-compliant or skipped, and the results published. Anything else
 * stays in the queue, visible again at once, for the next attempt.
 *
 * The queue holds three shapes, all replayed as the handler first saw them:
 * Lambda's async on-failure records (the original event is `requestPayload`),
 * SNS notifications the findings subscription could not deliver, and
 * EventBridge events a rule target could not deliver.
 *
 * Exit code: 0 when everything replayed (or the queue is empty), 1 when a
 * message was kept or the queue does not exist, 2 for usage errors.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { ProcessOutcome } from '../handler/process-event';
import type { RemediationResult } from '../handler/report';
import { parseOptions } from './args';
import { describeFailure, UsageError } from './errors';
import { runtimeConfigFrom } from './invoke';
import { table } from './table';

const USAGE = `usage: cloudmend redrive --region <region> [--dry-run] [--max <n>] [--config cloudmend.yaml|cloudmend.runtime.json] [--queue-url <url>] [--prefix <p>]

Replays the events in a handler's dead-letter queue through the handler's own
code, with your current AWS credentials (which the member roles must trust),
and deletes each message whose replay succeeded. A message whose replay failed
stays in the queue.

  --region     the handler's region; its queue is the DLQ of that region's handler stack
  --dry-run    replay in dry run (bots read and report), delete nothing, publish nothing
  --max        replay at most this many messages (default: all)
  --config     cloudmend.yaml (with its inventory) or a runtime JSON; default ./cloudmend.yaml
  --queue-url  the queue, when it is not the deployment's own DLQ
  --prefix     the deployment's naming.prefix (read from cloudmend.yaml when given)`;

export interface RedriveIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const defaultIo: RedriveIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
};

export type DeadLetterKind = 'lambda-async' | 'sns' | 'eventbridge' | 'other';

/** The event to replay from a DLQ message body, as the handler first received it; throws when the body is not JSON. */
export function deadLetterEvent(body: string): { kind: DeadLetterKind; event: unknown } {
  const value: unknown = JSON.parse(body);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if ('requestPayload' in record && typeof record.requestContext === 'object')
      return { kind: 'lambda-async', event: record.requestPayload };
    if (record.Type === 'Notification' && 'Message' in record) return { kind: 'sns', event: record };
    if (typeof record['detail-type'] === 'string') return { kind: 'eventbridge', event: record };
  }
  return { kind: 'other', event: value };
}

/** Replayed without a failure: what the handler would have acknowledged and a human need not look at again. */
export function replaySucceeded(results: readonly Pick<RemediationResult, 'status'>[]): boolean {
  return results.length > 0 && results.every((r) => r.status !== 'failed');
}

export interface ReplayedMessage {
  messageId: string;
  kind: DeadLetterKind | 'unreadable';
  /** Every result remediated, already-compliant, dry-run or skipped, and (unless dry run) published. */
  succeeded: boolean;
  /** deleted: replayed and removed; kept: its replay failed (or dry run), it stays in the queue. */
  outcome: 'deleted' | 'kept';
  reason: string;
}

export interface RedriveOptions {
  queueUrl: string;
  dryRun: boolean;
  max: number;
  /** How long a received message stays hidden while it is replayed. */
  visibilitySeconds?: number;
}

export interface RedriveDeps {
  sqs: SQSClient;
  /** processEvent with the handler's dependencies; publishes unless dry run. Throws when publishing failed. */
  replay: (event: unknown, dryRun: boolean) => Promise<ProcessOutcome>;
}

function summarize(results: readonly RemediationResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const text = [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no result';
  const failed = results.find((r) => r.status === 'failed');
  return failed ? `${text}: ${failed.message}` : text;
}

async function replayOne(message: Message, options: RedriveOptions, deps: RedriveDeps): Promise<ReplayedMessage> {
  const messageId = message.MessageId ?? '?';
  let parsed: ReturnType<typeof deadLetterEvent>;
  try {
    parsed = deadLetterEvent(message.Body ?? '');
  } catch (error) {
    return {
      messageId,
      kind: 'unreadable',
      succeeded: false,
      outcome: 'kept',
      reason: `body is not JSON (${(error as Error).message}): inspect it by hand`,
    };
  }
  let outcome: ProcessOutcome;
  try {
    outcome = await deps.replay(parsed.event, options.dryRun);
  } catch (error) {
    return {
      messageId,
      kind: parsed.kind,
      succeeded: false,
      outcome: 'kept',
      reason: `replay failed: ${(error as Error).name}: ${(error as Error).message}`,
    };
  }
  const reason = summarize(outcome.results);
  const succeeded = replaySucceeded(outcome.results);
  return { messageId, kind: parsed.kind, succeeded, outcome: succeeded && !options.dryRun ? 'deleted' : 'kept', reason };
}

/**
 * Receives, replays and deletes until `max` messages were replayed or the
 * queue has nothing more to give. A kept message stays hidden for the rest of
 * the run (so it is replayed once), then is made visible again.
 */
export async function redrive(options: RedriveOptions, deps: RedriveDeps): Promise<ReplayedMessage[]> {
  const { ReceiveMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand } = await import('@aws-sdk/client-sqs');
  const replayed: ReplayedMessage[] = [];
  const kept: string[] = [];
  try {
    while (replayed.length < options.max) {
      const received = await deps.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.max - replayed.length),
          VisibilityTimeout: options.visibilitySeconds ?? 900,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) {
        const result = await replayOne(message, options, deps);
        if (result.outcome === 'deleted') {
          await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
        } else if (message.ReceiptHandle) {
          kept.push(message.ReceiptHandle);
        }
        replayed.push(result);
      }
    }
  } finally {
    // Kept messages are visible again at once, for the next attempt after the cause is fixed.
    for (const handle of kept) {
      await deps.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    }
  }
  return replayed;
}

function parse(argv: string[]) {
  return parseOptions(
    argv,
    {
      region: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      max: { type: 'string' },
      config: { type: 'string' },
      'queue-url': { type: 'string' },
      prefix: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
}

export async function run(argv: string[], io: RedriveIo = defaultIo): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cloudmend redrive: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    io.err(`cloudmend redrive: ${describeFailure(error)}\n`);
    return 1;
  }
}

async function main(argv: string[], io: RedriveIo): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const region = values.region;
  if (!region) throw new UsageError('--region is required: the region of the handler whose DLQ to replay', USAGE);
  const max = values.max === undefined ? Number.POSITIVE_INFINITY : Number(values.max);
  if (!Number.isInteger(max) && max !== Number.POSITIVE_INFINITY)
    throw new UsageError(`--max ${values.max}: expected a whole number`, USAGE);
  if (max < 1) throw new UsageError(`--max ${values.max}: expected at least 1`, USAGE);
  const configPath = resolve(io.cwd, values.config ?? 'cloudmend.yaml');
  if (!values.config && !existsSync(configPath)) {
    throw new UsageError('no ./cloudmend.yaml here: pass --config cloudmend.yaml or a cloudmend.runtime.json', USAGE);
  }
  const runtime = await runtimeConfigFrom(configPath, (line) => io.err(`cloudmend redrive: ${line}\n`));
  const dryRunFlag = values['dry-run'] ?? false;

  const [{ SQSClient, GetQueueUrlCommand, GetQueueAttributesCommand }, { handlerNames }, { partitionOf }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('../stacks/member-role-policy'),
    import('../config/regions'),
  ]);
  // The deployment's naming.prefix names its queue; a runtime JSON does not carry it, --prefix does.
  const prefix =
    values.prefix ?? (configPath.endsWith('.json') ? '' : (await import('../config/load')).loadConfig(configPath).naming.prefix);
  const names = handlerNames(region, prefix);
  const sqs = new SQSClient({ region });
  let queueUrl = values['queue-url'];
  if (!queueUrl) {
    try {
      queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: names.dlq, QueueOwnerAWSAccountId: runtime.securityAccount })))
        .QueueUrl;
    } catch (error) {
      if ((error as Error).name === 'QueueDoesNotExist' || (error as Error).name === 'AWS.SimpleQueueService.NonExistentQueue') {
        io.err(
          `cloudmend redrive: there is no queue ${names.dlq} in ${region} of account ${runtime.securityAccount}: ` +
            "is the handler stack deployed in that region (check --region), and are these the security account's credentials?\n",
        );
        return 1;
      }
      throw error;
    }
  }
  if (!queueUrl) throw new Error(`SQS returned no URL for ${names.dlq}`);
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const waiting = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? '0');
  const inFlight = Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? '0');
  if (waiting === 0) {
    io.out(
      `The dead-letter queue ${queueUrl} is empty: nothing to replay.${inFlight > 0 ? ` (${inFlight} message(s) are in flight, being read by someone else; try again in 15 minutes.)` : ''}\n`,
    );
    return 0;
  }

  const [{ processEvent }, { MemberCredentialsCache }, { createLogger }, { effectiveDryRun, readInvocation }, { publishResults }, bots] =
    await Promise.all([
      import('../handler/process-event'),
      import('../handler/credentials'),
      import('../handler/log'),
      import('../handler/runtime-config'),
      import('../handler/report'),
      import('../bots'),
    ]);
  const sts = async () => new (await import('@aws-sdk/client-sts')).STSClient({ region });
  const sns = async () => new (await import('@aws-sdk/client-sns')).SNSClient({ region });
  const credentials = new MemberCredentialsCache({ sts, config: runtime });
  const topicArn = `arn:${partitionOf(region)}:sns:${region}:${runtime.securityAccount}:${names.outputTopic}`;
  const replay = (stored: unknown, dryRunOnly: boolean) => {
    const invocation = readInvocation(stored);
    const dryRun = dryRunOnly || effectiveDryRun(runtime, invocation, io.env);
    return processEvent(invocation.event, {
      config: runtime,
      registry: { getBot: bots.getBot, botNames: bots.botNames },
      credentials,
      dryRun,
      defaultRegion: region,
      log: createLogger({ write: () => {} }),
      // The results topic is the record of what happened, for a replay as for the first attempt.
      ...(dryRunOnly ? {} : { publish: (results: RemediationResult[]) => publishResults(results, { topicArn, sns }) }),
    });
  };

  io.out(
    `Replaying ${Number.isFinite(max) ? `up to ${max} of ` : ''}~${waiting} message(s) from ${queueUrl}${dryRunFlag ? ' (dry run: nothing is changed or deleted)' : ''}\n\n`,
  );
  const replayed = await redrive({ queueUrl, dryRun: dryRunFlag, max }, { sqs, replay });
  io.out(
    `${table(
      ['MESSAGE', 'KIND', 'OUTCOME', 'RESULTS'],
      replayed.map((r) => [r.messageId, r.kind, r.outcome, r.reason]),
    )}\n\n`,
  );
  const kept = replayed.filter((r) => r.outcome === 'kept').length;
  const failed = replayed.filter((r) => !r.succeeded).length;
  io.out(
    `${replayed.length} replayed: ${replayed.length - kept} deleted, ${kept} kept in the queue${failed > 0 ? ` (${failed} failed)` : ''}.\n`,
  );
  return failed > 0 ? 1 : 0;
}
