/**
 * Exactly one run per (finding, bot, resource): each bot run is wrapped in
 * Powertools' idempotency utility, persisted in the state table. The first
 * delivery writes an in-progress record (a conditional put), runs, and stores
 * its outcome with a result id; a concurrent duplicate finds the record in
 * progress and waits for it; a later one gets the stored outcome back without
 * running anything.
 *
 * How a duplicate is reported: it is not reported again. Its result has status
 * `duplicate` and `duplicateOf` (the first result's id), is logged, and is left
 * out of the published results, so subscribers see one result per (finding,
 * bot). One exception keeps "nothing is lost": when the first delivery stored
 * its outcome but never got to publish it (its publish failed, or it was
 * killed), the next delivery publishes the stored result in its place, once
 * the first invocation is certainly over.
 *
 * A retryable failure is not stored (the record is deleted), so the retry runs
 * again; a permanent failure is stored like any outcome.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { BotStatus, Change } from '../../bots/types';
import { classifyError, type ClassifiedError } from '../errors';
import type { Logger } from '../log';
import type { PlannedRun } from '../plan';
import type { RunOutcome } from '../types';
import { type JournalEntry, undoableChanges, writeJournal } from './journal';
import { keys, runKeyOf, type RunKey } from './keys';
import type { Execute } from './limited-run';
import { epochSeconds, EXPIRY_ATTRIBUTE, KEY_ATTRIBUTE, type StateTable } from './table';
import { sdk } from '../../bots/sdk';

/**
 * How long a completed run stands in for its duplicates. Lambda's own retries
 * of an event end within 6 hours (its maximum event age); a redelivery later
 * than this runs the bot again, which reads the resource first and reports
 * `already-compliant`. Shorter would let a retry act twice; longer would make a
 * genuinely new occurrence of a finding that keeps its id (Security Hub does)
 * be taken for a duplicate. Trade-off recorded in docs/state.md.
 */
export const IDEMPOTENCY_SECONDS = 6 * 3600;
const KEY_PREFIX = 'run';

/** What is stored for a run: its outcome without the bot object, as JSON. */
export interface StoredOutcome {
  resultId: string;
  /** When the first delivery may still be publishing it, epoch ms: after this its invocation is over. */
  reportBy: number;
  result?: { status: Exclude<BotStatus, 'failed'>; message: string; changes: Change[] };
  error?: ClassifiedError;
  changes?: Change[];
  durationMs: number;
  dryRun?: boolean;
}

export interface RunOnceDeps {
  table: StateTable;
  now: () => Date;
  log: Logger;
  /** Time left in this invocation (the Lambda context's); bounds the in-progress lock and the wait. */
  remainingMs: () => number;
  /** Longest a duplicate waits for a run in progress before it gives up and is retried later. */
  waitBudgetMs?: number;
}

/** Thrown inside the idempotent function so Powertools deletes the record: a transient failure must run again on retry. */
class RetryableOutcome extends Error {
  override readonly name = 'RetryableOutcome';
  constructor(readonly outcome: RunOutcome) {
    super('transient failure: not stored');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toStored(outcome: RunOutcome, resultId: string, reportBy: number): StoredOutcome {
  // JSON drops what is undefined; the record holds only what a duplicate needs to report.
  return JSON.parse(
    JSON.stringify({
      resultId,
      reportBy,
      result: outcome.result,
      error: outcome.error,
      changes: outcome.changes,
      durationMs: outcome.durationMs,
      dryRun: outcome.dryRun,
    }),
  ) as StoredOutcome;
}

function fromStored(run: PlannedRun, stored: StoredOutcome): RunOutcome {
  return {
    run,
    resultId: stored.resultId,
    durationMs: stored.durationMs,
    ...(stored.result ? { result: stored.result } : {}),
    ...(stored.error ? { error: stored.error } : {}),
    ...(stored.changes ? { changes: stored.changes } : {}),
    ...(stored.dryRun !== undefined ? { dryRun: stored.dryRun } : {}),
  };
}

function duplicateOutcome(run: PlannedRun, stored: StoredOutcome): RunOutcome {
  const first = stored.result?.status ?? `failed (${stored.error?.name ?? 'error'})`;
  return {
    run,
    duplicateOf: stored.resultId,
    durationMs: 0,
    result: {
      status: 'duplicate',
      message: `duplicate delivery: ${run.bot.meta.name} already ran for finding ${run.finding.id} (result ${stored.resultId}: ${first}); not run again`,
      changes: [],
    },
  };
}

/** A state-table failure: retryable, so the event is retried and, if the table stays unreachable, kept in the DLQ. */
function stateFailure(run: PlannedRun, error: unknown, started: number): RunOutcome {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const classified = classifyError(cause);
  return {
    run,
    error: {
      name: 'StateTableUnavailable',
      message: `the state table could not be used (${classified.name}: ${classified.message}); not run, retried`,
      retryable: true,
    },
    durationMs: performance.now() - started,
  };
}

export const IN_PROGRESS_ERROR = 'RemediationInProgress';

export class RunOnce {
  /** Results this invocation produced: a duplicate of one of them in the same batch is a plain duplicate. */
  private readonly producedHere = new Set<string>();
  private store?: Promise<import('@aws-lambda-powertools/idempotency/persistence').BasePersistenceLayer>;

  constructor(private readonly deps: RunOnceDeps) {}

  private persistence() {
    if (!this.store) this.store = this.createPersistence();
    return this.store;
  }

  private async createPersistence() {
    const [{ DynamoDBPersistenceLayer }, client] = await Promise.all([
      import('@aws-lambda-powertools/idempotency/dynamodb'),
      this.deps.table.client(),
    ]);
    return new DynamoDBPersistenceLayer({
      tableName: this.deps.table.name,
      keyAttr: KEY_ATTRIBUTE,
      expiryAttr: EXPIRY_ATTRIBUTE,
      awsSdkV3Client: client,
    });
  }

  async run(run: PlannedRun, dryRun: boolean, execute: Execute): Promise<RunOutcome> {
    const started = performance.now();
    const key = runKeyOf(run, dryRun);
    let produced: RunOutcome | undefined;
    let once: (key: RunKey) => Promise<StoredOutcome>;
    try {
      const [{ makeIdempotent, IdempotencyConfig }, persistenceStore] = await Promise.all([
        import('@aws-lambda-powertools/idempotency'),
        this.persistence(),
      ]);
      // The in-progress lock lapses when this invocation would have timed out, so a crashed run is retried, not stuck.
      const lambdaContext = { getRemainingTimeInMillis: this.deps.remainingMs } as unknown as Context;
      const config = new IdempotencyConfig({ expiresAfterSeconds: IDEMPOTENCY_SECONDS, lambdaContext });
      once = makeIdempotent(
        async (_key: RunKey): Promise<StoredOutcome> => {
          const outcome = await execute(dryRun);
          produced = outcome;
          if (outcome.error?.retryable) throw new RetryableOutcome(outcome);
          const stored = toStored(outcome, randomUUID(), this.deps.now().getTime() + this.deps.remainingMs());
          this.producedHere.add(stored.resultId);
          await this.journal(run, stored);
          return stored;
        },
        { persistenceStore, config, keyPrefix: KEY_PREFIX },
      );
    } catch (error) {
      return stateFailure(run, error, started);
    }

    const budget = Math.min(this.deps.waitBudgetMs ?? 10_000, Math.max(0, this.deps.remainingMs() - 5_000));
    let delay = 50;
    for (;;) {
      try {
        const stored = await once(key);
        if (produced) return fromStored(run, stored);
        if (this.producedHere.has(stored.resultId) || (await this.isReported(stored.resultId))) return duplicateOutcome(run, stored);
        // The first delivery stored it but never reported it: report it now, in its place.
        if (this.deps.now().getTime() > stored.reportBy) return { ...fromStored(run, stored), redelivered: true };
      } catch (error) {
        if (error instanceof RetryableOutcome) return error.outcome;
        if (produced) {
          // The bot ran but its outcome could not be stored: report what it did; a redelivery finds the resource fixed.
          this.deps.log.warn('the run could not be recorded in the state table', { error });
          return produced;
        }
        if ((error as Error)?.name !== 'IdempotencyAlreadyInProgressError') return stateFailure(run, error, started);
      }
      if (performance.now() - started >= budget) {
        return {
          run,
          error: {
            name: IN_PROGRESS_ERROR,
            message: `another delivery of this finding is running ${run.bot.meta.name} (or reporting it); not run twice, retried`,
            retryable: true,
          },
          durationMs: performance.now() - started,
        };
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }

  /** What undo needs, written before the run is marked complete: a completed run with changes always has its journal. */
  private async journal(run: PlannedRun, stored: StoredOutcome): Promise<void> {
    const changes = undoableChanges(stored.result?.changes ?? stored.changes);
    if (changes.length === 0 || stored.dryRun) return;
    const { finding } = run;
    const entry: JournalEntry = {
      resultId: stored.resultId,
      findingId: finding.id,
      bot: run.bot.meta.name,
      partition: finding.partition,
      account: finding.account,
      region: finding.region,
      resourceId: finding.resource.id,
      at: this.deps.now().toISOString(),
      changes,
    };
    try {
      await writeJournal(this.deps.table, entry, this.deps.now());
    } catch (error) {
      // The change is made and will be reported; only its undo is lost, which the log says.
      this.deps.log.error('could not write the change journal: this result cannot be undone with cloudmend undo', { error, entry });
    }
  }

  private async isReported(resultId: string): Promise<boolean> {
    const [{ GetItemCommand }, client] = await Promise.all([sdk.dynamoDb(), this.deps.table.client()]);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: this.deps.table.name,
        Key: { [KEY_ATTRIBUTE]: { S: keys.reported(resultId) } },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  /** After the results are published: their first reports are done, duplicates need not publish them. */
  async markReported(resultIds: string[]): Promise<void> {
    if (resultIds.length === 0) return;
    const [{ PutItemCommand }, client] = await Promise.all([sdk.dynamoDb(), this.deps.table.client()]);
    const expiry = { N: String(epochSeconds(this.deps.now()) + IDEMPOTENCY_SECONDS) };
    await Promise.all(
      resultIds.map((id) =>
        client.send(
          new PutItemCommand({
            TableName: this.deps.table.name,
            Item: { [KEY_ATTRIBUTE]: { S: keys.reported(id) }, [EXPIRY_ATTRIBUTE]: expiry },
          }),
        ),
      ),
    );
  }
}
