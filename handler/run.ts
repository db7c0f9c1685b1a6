/**
 * Runs planned bots, each with its own narrowed credentials, timed, its errors
 * caught and classified: one bot's failure never stops another's run.
 */
import { appliedChangesIn, appliedChangesOf } from '../bots/changes';
import type { BotResult, Change, ClientFactory, DerivedIds } from '../bots/types';
import { createClientFactory, type ClientFactoryOptions } from './aws/client-factory';
import type { RunCredentials } from './credentials';
import { classifyError, type ClassifiedError } from './errors';
import type { Logger } from './log';
import type { PlannedRun } from './plan';

export interface RunDeps {
  credentials: { forRun(run: PlannedRun, derived?: DerivedIds): Promise<RunCredentials> };
  dryRun: boolean;
  log: Logger;
  now?: () => Date;
  /** Injected in tests; default binds SDK clients to the member credentials and the finding's region. */
  clientFactory?: (options: ClientFactoryOptions) => ClientFactory;
  /** Findings processed at once; bots of one finding always run in order. */
  concurrency?: number;
}

export interface RunOutcome {
  run: PlannedRun;
  result?: BotResult;
  error?: ClassifiedError;
  /** With `error`: the writes the bot made before it failed, so the report never hides them. */
  changes?: Change[];
  durationMs: number;
}

const STATUSES = new Set(['remediated', 'already-compliant', 'dry-run', 'skipped']);

function checkResult(value: unknown, bot: string): BotResult {
  const result = value as Partial<BotResult> | undefined;
  if (!result || !STATUSES.has(result.status as string) || typeof result.message !== 'string' || !Array.isArray(result.changes)) {
    throw Object.assign(new Error(`bot ${bot} returned no valid result (status, message, changes)`), { name: 'InvalidBotResult' });
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
    // Dry run makes no write, and the first credentials already allow every read: no second AssumeRole.
    const narrowTo = async (ids: DerivedIds) =>
      deps.dryRun ? client : factory({ region: finding.region, credentials: (await deps.credentials.forRun(run, ids)).credentials });
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

/** Every planned run, in plan order per finding; findings run side by side up to `concurrency`. */
export async function runAll(runs: PlannedRun[], deps: RunDeps): Promise<RunOutcome[]> {
  const byFinding = new Map<string, PlannedRun[]>();
  for (const run of runs) {
    const key = `${run.finding.recordId ?? ''}|${run.finding.id}`;
    byFinding.set(key, [...(byFinding.get(key) ?? []), run]);
  }
  const groups = [...byFinding.values()];
  const outcomes: RunOutcome[][] = new Array(groups.length);
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const index = next++;
      const group: RunOutcome[] = [];
      for (const run of groups[index]!) group.push(await runPlanned(run, deps));
      outcomes[index] = group;
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 4, groups.length) }, worker));
  return outcomes.flat();
}
