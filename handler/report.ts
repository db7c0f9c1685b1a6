import type { Change } from '../bots/types';
/**
 * One result per (finding, bot) or per rejection: logged as one JSON line
 * each, and published to the output SNS topic in batches. The log line comes
 * first, so even a failed publish leaves the outcome on record.
 */
import type { PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { PublishError } from './errors';
import { identityOf } from './feedback/identity';
import type { Logger } from './log';
import { recordResultMetrics } from './metrics';
import type { Rejection } from './rejection';
import type { RemediationResult, RunOutcome } from './types';
import { sdk } from '../bots/sdk';

export type { RemediationResult } from './types';

function withNotes(notes: string[] | undefined): Pick<RemediationResult, 'notes'> {
  return notes && notes.length > 0 ? { notes } : {};
}

export function resultOfRun(outcome: RunOutcome, dryRun: boolean): RemediationResult {
  const { finding, bot } = outcome.run;
  const common = {
    ...identityOf(finding.source, finding.id, bot.meta.name, finding.raw),
    findingId: finding.id,
    source: finding.source,
    rule: finding.rule,
    account: finding.account,
    region: finding.region,
    resource: { type: finding.resource.type, id: finding.resource.id },
    bot: bot.meta.name,
    durationMs: Math.round(outcome.durationMs * 10) / 10,
    dryRun: outcome.dryRun ?? dryRun,
    ...withNotes(finding.notes),
    ...(finding.recordId ? { recordId: finding.recordId } : {}),
    ...(outcome.resultId ? { resultId: outcome.resultId } : {}),
    ...(outcome.duplicateOf ? { duplicateOf: outcome.duplicateOf } : {}),
  };
  if (outcome.result) {
    return {
      ...common,
      status: outcome.result.status,
      message: outcome.result.message,
      changes: published(outcome.result.changes),
      retryable: false,
    };
  }
  // runPlanned gives every outcome a result or an error; this default only satisfies the type.
  const error = outcome.error ?? { name: 'Error', message: 'no result and no error', retryable: false };
  return {
    ...common,
    status: 'failed',
    message: `${bot.meta.name} failed: ${error.message}${error.retryable ? ' (transient: retried)' : ''}`,
    changes: published(outcome.changes ?? []),
    errorName: error.name,
    retryable: error.retryable,
  };
}

/**
 * Changes as subscribers see them: without their undo records. Those (whole
 * policies, access key ids) go to the change journal in the state table,
 * which `cloudmend undo` reads by the result id the result carries.
 */
function published(changes: readonly Change[]): Change[] {
  return changes.map(({ undo: _, ...change }) => change);
}

function withoutResultId({ resultId: _, ...rest }: ReturnType<typeof identityOf>): Omit<ReturnType<typeof identityOf>, 'resultId'> {
  return rest;
}

export function resultOfRejection(rejection: Rejection, dryRun: boolean): RemediationResult {
  const finding = rejection.finding;
  const recordId = rejection.recordId ?? (finding as { recordId?: string } | undefined)?.recordId;
  const findingId = finding?.id ?? rejection.findingId ?? recordId ?? 'unknown';
  const source = finding?.source ?? rejection.source ?? 'unknown';
  return {
    // No result id: nothing ran, so there is nothing to undo or to mark reported in the state table.
    ...withoutResultId(identityOf(source, findingId, rejection.bot, finding?.raw)),
    findingId,
    source,
    ...(finding
      ? {
          rule: finding.rule,
          account: finding.account,
          region: finding.region,
          resource: { type: finding.resource.type, id: finding.resource.id },
        }
      : {}),
    ...(rejection.bot ? { bot: rejection.bot } : {}),
    status: rejection.kind === 'error' ? 'failed' : 'skipped',
    message: rejection.reason,
    changes: [],
    durationMs: 0,
    errorName: rejection.code,
    retryable: false,
    dryRun,
    ...withNotes((finding as { notes?: string[] } | undefined)?.notes),
    ...(recordId ? { recordId } : {}),
  };
}

export function logResults(results: RemediationResult[], log: Logger): void {
  for (const result of results) {
    const level = result.status === 'failed' ? 'warn' : 'info';
    log[level](`${result.status}: ${result.message}`, { result });
  }
  recordResultMetrics(results);
}

/** SNS limits: 10 entries and 256 KiB per PublishBatch; a little headroom for the attributes. */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 250 * 1024;
const MAX_MESSAGE_BYTES = 200 * 1024;

/** `text` cut to at most `bytes` UTF-8 bytes, never inside a character. */
function cutToBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text);
  if (buffer.length <= bytes) return text;
  return buffer
    .subarray(0, Math.max(0, bytes))
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/**
 * The notification for one result, within SNS's size limit whatever the
 * result holds: first the changes give way to their count, then the message
 * and notes are cut, each step saying so. The log line keeps everything.
 */
function messageOf(result: RemediationResult): string {
  const text = JSON.stringify(result);
  if (Buffer.byteLength(text) <= MAX_MESSAGE_BYTES) return text;
  // A bot that changed thousands of things: the notification keeps the count.
  const counted = { ...result, changes: [], changesOmitted: result.changes.length };
  const withoutChanges = JSON.stringify(counted);
  if (Buffer.byteLength(withoutChanges) <= MAX_MESSAGE_BYTES) return withoutChanges;
  const notes = result.notes ?? [];
  const room = MAX_MESSAGE_BYTES - Buffer.byteLength(JSON.stringify({ ...counted, message: '', notes: [] })) - 1024;
  const trimmed = {
    ...counted,
    message: cutToBytes(result.message, Math.floor(room / 2)),
    ...(notes.length > 0 ? { notes: [cutToBytes(notes.join(' | '), Math.floor(room / 2))] } : {}),
    trimmed: `the result was ${Buffer.byteLength(text)} bytes, over SNS's limit: its message and notes are cut here; the handler's log line has it whole`,
  };
  return JSON.stringify(trimmed);
}

/** Subjects (shown in e-mail) must be ASCII without line breaks and under 100 characters. */
function subjectOf(result: RemediationResult): string {
  const text = `cloudmend ${result.status}: ${result.bot ?? result.errorName ?? 'event'} on ${result.resource?.id ?? result.findingId}`;
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 99);
}

function entryOf(result: RemediationResult, id: string): PublishBatchRequestEntry & { Subject: string; Message: string } {
  const attributes: Record<string, string | undefined> = {
    status: result.status,
    source: result.source,
    account: result.account,
    bot: result.bot,
  };
  return {
    Id: id,
    Subject: subjectOf(result),
    Message: messageOf(result),
    // For subscription filter policies, e.g. only failures to the on-call address.
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).flatMap(([k, v]) => (v ? [[k, { DataType: 'String', StringValue: v }]] : [])),
    ),
  };
}

/** Batches of at most 10 entries and ~250 KiB, in result order. */
export function publishBatches(results: RemediationResult[]): PublishBatchRequestEntry[][] {
  const batches: PublishBatchRequestEntry[][] = [];
  let batch: PublishBatchRequestEntry[] = [];
  let bytes = 0;
  results.forEach((result, index) => {
    const entry = entryOf(result, `r${index}`);
    const size = Buffer.byteLength(entry.Message) + Buffer.byteLength(entry.Subject) + 512;
    if (batch.length === MAX_ENTRIES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  });
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export interface PublisherOptions {
  topicArn: string;
  sns: () => Promise<SNSClient>;
}

/**
 * What subscribers are told: every result but a transient failure that will
 * be retried and changed nothing (the retry reports its own outcome; the log
 * line records the attempt). A transient failure after a write is published,
 * so the write is never hidden by a retry that finds the resource compliant.
 */
export function resultsToPublish(results: readonly RemediationResult[]): RemediationResult[] {
  return results.filter((r) => !(r.status === 'failed' && r.retryable && !r.changes.some((c) => c.applied)));
}

/** Publishes the results subscribers are told of; throws PublishError naming what failed, so the invocation is retried. */
export async function publishResults(all: RemediationResult[], options: PublisherOptions): Promise<void> {
  const results = resultsToPublish(all);
  if (results.length === 0) return;
  const [{ PublishBatchCommand }, sns] = await Promise.all([sdk.sns(), options.sns()]);
  const failures: string[] = [];
  for (const entries of publishBatches(results)) {
    try {
      const response = await sns.send(new PublishBatchCommand({ TopicArn: options.topicArn, PublishBatchRequestEntries: entries }));
      for (const failed of response.Failed ?? []) failures.push(`${failed.Id}: ${failed.Code ?? 'error'} ${failed.Message ?? ''}`.trim());
    } catch (error) {
      const e = error as Error;
      failures.push(`${entries.length} result(s) ${entries[0]?.Id}..${entries.at(-1)?.Id}: ${e.name}: ${e.message}`);
    }
  }
  if (failures.length > 0) {
    throw new PublishError(`could not publish ${failures.length} result message(s) to ${options.topicArn}: ${failures.join('; ')}`);
  }
}
