/**
 * Every key the state table holds, built in one place so the handler and the
 * CLI (`cloudmend resume`, `cloudmend undo`) agree on them. Pure.
 */
import type { PlannedRun } from '../plan';

/** What makes two deliveries the same remediation: the finding, the bot, the resource it acts on, and the mode. */
export interface RunKey {
  findingId: string;
  bot: string;
  account: string;
  region: string;
  resource: string;
  /** A dry-run try of a finding must not stand in for its real remediation. */
  dryRun: boolean;
}

export function runKeyOf(run: PlannedRun, dryRun: boolean): RunKey {
  const { finding } = run;
  return {
    findingId: finding.id,
    bot: run.bot.meta.name,
    account: finding.account,
    region: finding.region,
    resource: finding.resource.id,
    dryRun,
  };
}

/** The clock hour a counter belongs to, e.g. `2026-11-30T11`: limits reset on the hour. */
export function hourWindow(now: Date): string {
  return now.toISOString().slice(0, 13);
}

/** End of the window `hourWindow(now)` names. */
export function hourWindowEnd(now: Date): Date {
  const end = new Date(now);
  end.setUTCMinutes(0, 0, 0);
  end.setUTCHours(end.getUTCHours() + 1);
  return end;
}

export type LimitScope = { kind: 'account'; account: string } | { kind: 'bot'; bot: string };

export function scopeLabel(scope: LimitScope): string {
  return scope.kind === 'account' ? `account ${scope.account}` : `bot ${scope.bot}`;
}

export const keys = {
  counter: (scope: LimitScope, window: string) =>
    scope.kind === 'account' ? `limit#account#${scope.account}#${window}` : `limit#bot#${scope.bot}#${window}`,
  alert: (scope: LimitScope, window: string) =>
    scope.kind === 'account' ? `alert#account#${scope.account}#${window}` : `alert#bot#${scope.bot}#${window}`,
  breaker: (account: string, bot: string) => `breaker#${account}#${bot}`,
  reported: (resultId: string) => `reported#${resultId}`,
  journal: (resultId: string) => `journal#${resultId}`,
};
