/**
 * One bot run under the blast-radius limits: a paused bot, or a run past the
 * hour's budget of its account or its bot, runs in dry run and reports
 * `rate-limited`; the first such run of a window publishes the alert. A run
 * that changed nothing gives its reservation back; a permanent failure counts
 * towards pausing the bot in that account, any other outcome ends the streak.
 */
import { randomUUID } from 'node:crypto';
import type { LimitsConfig } from '../../config/runtime';
import type { Logger } from '../log';
import type { PlannedRun } from '../plan';
import type { RunOutcome } from '../types';
import type { LimitAlert, LimitKind } from './alerts';
import { hourWindow, type LimitScope, scopeLabel } from './keys';
import { claimAlert, readBreaker, recordFailure, release, reserve, resetFailures } from './limits';
import type { StateTable } from './table';

export interface LimitDeps {
  table: StateTable;
  limits: LimitsConfig;
  /** The handler's region: the table, counters and breakers are per region. */
  region: string;
  now: () => Date;
  log: Logger;
  alert: (alert: LimitAlert) => Promise<void>;
  /** Writes the RateLimited metric (a line on stdout, nothing to wait for). */
  metric: (kind: LimitKind) => void;
}

export type Execute = (dryRun: boolean) => Promise<RunOutcome>;

function changedSomething(outcome: RunOutcome): boolean {
  return outcome.result?.status === 'remediated' || (outcome.changes ?? []).some((c) => c.applied);
}

/** The dry run that stands in for a limited run, reported as `rate-limited` when it would have changed something. */
async function instead(execute: Execute, reason: string, kind: LimitKind, deps: LimitDeps): Promise<RunOutcome> {
  const outcome = await execute(true);
  deps.metric(kind);
  if (outcome.result?.status !== 'dry-run') return { ...outcome, dryRun: true };
  return {
    ...outcome,
    dryRun: true,
    result: { ...outcome.result, status: 'rate-limited', message: `${reason}; ${outcome.result.message}` },
  };
}

async function alertOnce(scope: LimitScope, window: string, alert: LimitAlert, deps: LimitDeps): Promise<void> {
  if (!(await claimAlert(deps.table, scope, window, deps.now()))) return;
  try {
    await deps.alert(alert);
  } catch (error) {
    // The limit holds either way; the alert is retried by no one, so say so loudly where it is kept.
    deps.log.error('could not publish the limit alert', { error, alert });
  }
}

export async function runWithinLimits(run: PlannedRun, dryRun: boolean, execute: Execute, deps: LimitDeps): Promise<RunOutcome> {
  if (dryRun) return execute(true);
  const { table, limits } = deps;
  const account = run.finding.account;
  const bot = run.bot.meta.name;
  const resumeHint = `cloudmend resume --account ${account} --bot ${bot} --region ${deps.region}`;

  const breaker = await readBreaker(table, account, bot);
  if (breaker.paused) {
    const reason = `rate-limited: ${bot} is paused in account ${account} after ${limits.consecutiveFailures} failures in a row (last: ${breaker.lastError ?? 'unknown'}); nothing changed; resume with ${resumeHint}`;
    return instead(execute, reason, 'bot-paused', deps);
  }

  const now = deps.now();
  const window = hourWindow(now);
  const scopes: Array<{ scope: LimitScope; limit: number; kind: LimitKind }> = [
    { scope: { kind: 'account', account }, limit: limits.perAccountPerHour, kind: 'account-limit' },
    { scope: { kind: 'bot', bot }, limit: limits.perBotPerHour, kind: 'bot-limit' },
  ];
  const reserved: LimitScope[] = [];
  // This run's units are held under its own token, so a resent request never counts them twice (limits.ts).
  const token = randomUUID();
  for (const { scope, limit, kind } of scopes) {
    if (await reserve(table, scope, window, limit, now, token)) {
      reserved.push(scope);
      continue;
    }
    await Promise.all(reserved.map((s) => release(table, s, window, token)));
    const what = `${scopeLabel(scope)} reached its limit of ${limit} remediations in the hour ${window}:00Z (limits.${kind === 'account-limit' ? 'perAccountPerHour' : 'perBotPerHour'})`;
    await alertOnce(
      scope,
      window,
      { kind, scope: scopeLabel(scope), region: deps.region, window, message: `${what}; its findings run in dry run until the hour ends` },
      deps,
    );
    return instead(execute, `rate-limited: ${what}; ran in dry run, nothing changed`, kind, deps);
  }

  const outcome = await execute(false);
  if (!changedSomething(outcome)) await Promise.all(reserved.map((s) => release(table, s, window, token)));
  if (outcome.error && !outcome.error.retryable) {
    const tripped = await recordFailure(
      table,
      account,
      bot,
      limits.consecutiveFailures,
      `${outcome.error.name}: ${outcome.error.message}`,
      deps.now(),
    );
    if (tripped) {
      await deps
        .alert({
          kind: 'bot-paused',
          scope: `bot ${bot} in account ${account}`,
          region: deps.region,
          message: `${bot} failed ${limits.consecutiveFailures} times in a row in account ${account} (last: ${outcome.error.name}: ${outcome.error.message}); it runs in dry run there until an operator runs ${resumeHint}`,
        })
        .catch((error: unknown) => deps.log.error('could not publish the pause alert', { error }));
    }
  } else if (!outcome.error && breaker.failures > 0) {
    await resetFailures(table, account, bot);
  }
  return outcome;
}
