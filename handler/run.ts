/**
 * Runs planned bots, each with its own narrowed credentials, timed, its errors
 * caught and classified: one bot's failure never stops another's run.
 */
import { appliedChangesIn, appliedChangesOf } from '../bots/changes';
import type { BotResult, ClientFactory, DerivedIds } from '../bots/types';
import { createClientFactory, type ClientFactoryOptions } from './aws/client-factory';
import { classifyError, InvalidBotResultError } from './errors';
import type { Logger } from './log';
import { MemberRoleAbsentError } from './member-role-probe';
import type { RemediationState } from './state';
import { mapConcurrently } from './pool';
import type { CredentialsSource, PlannedRun, RunOutcome } from './types';

export type { RunOutcome } from './types';

export interface RunDeps {
  credentials: CredentialsSource;
  dryRun: boolean;
  log: Logger;
  now?: () => Date;
  /** Injected in tests; default binds SDK clients to the member credentials and the finding's region. */
  clientFactory?: (options: ClientFactoryOptions) => ClientFactory;
  /** Findings processed at once; bots of one finding always run in order. */
  concurrency?: number;
  /** Exactly once and within limits (handler/state); absent: every delivery runs. */
  state?: RemediationState | undefined;
}

const STATUSES = new Set(['remediated', 'already-compliant', 'dry-run', 'skipped']);

function checkResult(value: unknown, bot: string): BotResult {
  const result = value as Partial<BotResult> | undefined;
  if (!result || !STATUSES.has(result.status as string) || typeof result.message !== 'string' || !Array.isArray(result.changes)) {
    throw new InvalidBotResultError(bot);
  }
  return result as BotResult;
}

export async function runPlanned(run: PlannedRun, deps: RunDeps): Promise<RunOutcome> {
  const started = performance.now();
  const { finding, bot } = run;
  const log = deps.log.child({ findingId: finding.id, bot: bot.meta.name, account: finding.account, region: finding.region });
  let context: object | undefined;
  try {
    const { credentials } = await deps.credentials.forRun(run);
    const factory = deps.clientFactory ?? createClientFactory;
    const client = factory({ region: finding.region, credentials });
    // Also in dry run: a bot may read what it derived (a snapshot it found, the key an alias names), and only a
    // session naming those ids allows that. Bots that narrow only to write skip the call in dry run themselves.
    const narrowTo = async (ids: DerivedIds) =>
      factory({ region: finding.region, credentials: (await deps.credentials.forRun(run, ids)).credentials });
    const botContext = {
      finding,
      params: run.params,
      partition: finding.partition,
      account: finding.account,
      region: finding.region,
      dryRun: deps.dryRun,
      client,
      narrowTo,
      log,
      now: deps.now ?? (() => new Date()),
    };
    context = botContext;
    const raw = await bot.run(botContext);
    return { run, result: checkResult(raw, bot.meta.name), durationMs: performance.now() - started };
  } catch (error) {
    // An account without the member role is out of scope, not a failure (member-role-probe.ts).
    if (error instanceof MemberRoleAbsentError) {
      return { run, result: { status: 'skipped', message: error.message, changes: [] }, durationMs: performance.now() - started };
    }
    // Every write the bot made, also when it failed after its last write (a read, a conflict), not only inside one.
    const made = context ? appliedChangesIn(context) : [];
    return {
      run,
      error: classifyError(error),
      changes: made.length > 0 ? made : appliedChangesOf(error),
      durationMs: performance.now() - started,
    };
  }
}

/** Through the remediation state when there is one: at most once per (finding, bot, resource), within the limits. */
function runGuarded(run: PlannedRun, deps: RunDeps): Promise<RunOutcome> {
  return deps.state ? deps.state.guard(run, deps.dryRun, (dryRun) => runPlanned(run, { ...deps, dryRun })) : runPlanned(run, deps);
}

/** Every planned run, in plan order per finding; findings run side by side up to `concurrency`. */
export async function runAll(runs: PlannedRun[], deps: RunDeps): Promise<RunOutcome[]> {
  const byFinding = new Map<string, PlannedRun[]>();
  for (const run of runs) {
    const key = `${run.finding.recordId ?? ''}|${run.finding.id}`;
    byFinding.set(key, [...(byFinding.get(key) ?? []), run]);
  }
  const outcomes = await mapConcurrently([...byFinding.values()], deps.concurrency ?? 4, async (group) => {
    const done: RunOutcome[] = [];
    for (const run of group) done.push(await runGuarded(run, deps));
    return done;
  });
  return outcomes.flat();
}
