/**
 * The remediation state, as the runtime sees it: one call around each bot run
 * (exactly once, within the blast-radius limits) and one after the results are
 * reported. Built per invocation; absent when no state table is configured
 * (`cloudmend invoke` without one, or a deployment predating it), in which case
 * bots run as before and rely on their own read-before-write idempotency.
 */
import { LIMIT_DEFAULTS, type LimitsConfig } from '../../config/runtime';
import type { Logger } from '../log';
import type { PlannedRun } from '../plan';
import type { RemediationResult } from '../report';
import type { RunOutcome } from '../types';
import type { Metrics } from '../metrics';
import { emitRateLimitedMetric, type LimitAlert, type LimitKind } from './alerts';
import { type Execute, runWithinLimits } from './limited-run';
import { IN_PROGRESS_ERROR, RunOnce } from './run-once';
import { stateTable, type StateTable } from './table';

export interface RemediationState {
  /** Runs `execute` at most once for this (finding, bot, resource), within the limits. */
  guard(run: PlannedRun, dryRun: boolean, execute: Execute): Promise<RunOutcome>;
  /** Called once the results are published (or logged, without a topic). */
  reported(results: RemediationResult[]): Promise<void>;
}

export interface RemediationStateOptions {
  tableName: string;
  region: string;
  limits?: LimitsConfig | undefined;
  log: Logger;
  /** Sends a limit alert (to the results topic); absent: logged only. */
  publishAlert?: ((alert: LimitAlert) => Promise<void>) | undefined;
  remainingMs?: () => number;
  now?: () => Date;
  waitBudgetMs?: number;
  /** Where the RateLimited metric goes; default: the handler's metrics, inside Lambda only. */
  metrics?: Metrics;
  /** Shared by the invocations of one container, so its DynamoDB client is built once. */
  table?: StateTable;
}

/** Without a Lambda context (local invoke, tests): as long as the default handler timeout. */
const DEFAULT_REMAINING_MS = 120_000;

export function createRemediationState(options: RemediationStateOptions): RemediationState {
  const table = options.table ?? stateTable(options.tableName, options.region);
  const now = options.now ?? (() => new Date());
  const started = Date.now();
  const remainingMs = options.remainingMs ?? (() => DEFAULT_REMAINING_MS - (Date.now() - started));
  const { log } = options;
  const once = new RunOnce({
    table,
    now,
    log,
    remainingMs,
    ...(options.waitBudgetMs !== undefined ? { waitBudgetMs: options.waitBudgetMs } : {}),
  });
  const alert = async (a: LimitAlert) => {
    log.warn(`limit: ${a.message}`, { alert: a });
    await options.publishAlert?.(a);
  };
  const limitDeps = {
    table,
    limits: options.limits ?? { ...LIMIT_DEFAULTS },
    region: options.region,
    now,
    log,
    alert,
    metric: (kind: LimitKind) => emitRateLimitedMetric(kind, options.metrics),
  };
  return {
    guard: (run, dryRun, execute) => once.run(run, dryRun, (dry) => runWithinLimits(run, dry, execute, limitDeps)),
    async reported(results) {
      const ids = results.flatMap((r) => (r.resultId && isPublished(r) ? [r.resultId] : []));
      try {
        await once.markReported(ids);
      } catch (error) {
        // Published already: a later duplicate may publish them once more, which beats failing (and republishing) now.
        log.warn('could not mark results as reported in the state table', { error });
      }
    },
  };
}

/**
 * Whether a result goes to subscribers: a duplicate delivery's result (the
 * first one was reported) and a run left to another delivery in progress are
 * logged only, so each (finding, bot) is reported once.
 */
export function isPublished(result: Pick<RemediationResult, 'status' | 'errorName'>): boolean {
  return result.status !== 'duplicate' && result.errorName !== IN_PROGRESS_ERROR;
}
