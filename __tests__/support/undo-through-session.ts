/**
 * The one driver of `cloudmend undo` for integration tests against moto, two ways:
 *
 * - through the remediation state, as in production: `remediate` runs a bot as the handler does (its changes
 *   journalled in the state table `prepareUndoState` creates), then `undoThroughCli` runs `cloudmend undo --result
 *   <id> --yes`, whose clients are held to the step's declared undo permissions (an undoer sending a command its
 *   kind does not declare fails the test, as bots' commands do);
 * - without the state table: `undoResult` plans and executes the undo of one bot result the way the CLI does
 *   (handler/state/undo.ts: plan, then each step under a session holding only its kind's undo permissions on the
 *   resource); `undoSteps` is that plan with each step's session policy, for unit tests.
 */
import { getBot } from '../../bots';
import type { PolicyDocument } from '../../bots/permissions';
import type { Bot, BotResult, Change, ClientFactory, ResourceType } from '../../bots/types';
import { undo, type UndoArgs, type UndoIo } from '../../cli/undo';
import { createLogger } from '../../handler/log';
import { runAll, type RunOutcome } from '../../handler/run';
import type { SourcedFinding } from '../../handler/sources/types';
import { createRemediationState } from '../../handler/state';
import { type JournalEntry, undoableChanges } from '../../handler/state/journal';
import { executeUndo, planUndo, type StepOutcome, type UndoStep, undoSessionPolicy } from '../../handler/state/undo';
import { createStateTable } from '../handler/state/support';
import { memberSession } from './moto';
import { recordingClientFactory } from './recording';

/** The member account and Region the remediate-then-undo tests run in, and the state table there. */
export const MEMBER = '222222222222';
export const REGION = 'us-east-1';
export const UNDO_TABLE = `cloudmend-state-${REGION}`;
const silent = createLogger({ write: () => {} });

/** Creates the state table `remediate` journals in and `undoThroughCli` reads (once per moto reset; again is harmless). */
export async function prepareUndoState(): Promise<void> {
  await createStateTable(UNDO_TABLE, REGION).catch((error: unknown) => {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  });
}

export function finding(id: string, type: ResourceType, resourceId: string): SourcedFinding {
  return {
    source: 'cloudguard',
    id,
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: MEMBER,
    region: REGION,
    resource: { type, id: resourceId },
    requestedActions: [],
    raw: {},
    notes: [],
  };
}

/** Runs `bot` on the resource through the remediation state, as the handler does; the finding id is `f-<resourceId>`. */
export async function remediate(bot: Bot, type: string, resourceId: string, params: Record<string, unknown> = {}): Promise<RunOutcome> {
  const session = await memberSession(MEMBER, REGION);
  const credentials = {
    forRun: async () => ({ credentials: session.credentials, sessionPolicy: { Version: '2012-10-17' as const, Statement: [] } }),
  };
  const state = createRemediationState({ tableName: UNDO_TABLE, region: REGION, log: silent });
  const planned = {
    finding: finding(`f-${resourceId}`, type as ResourceType, resourceId),
    bot,
    params: bot.meta.params.parse(params),
    requestedBy: 'finding' as const,
  };
  const [outcome] = await runAll([planned], { credentials, dryRun: false, log: silent, state });
  return outcome!;
}

export function undoArgs(query: UndoArgs['query']): UndoArgs {
  return { region: REGION, query, yes: true, memberRole: 'CloudmendRemediation', externalId: 'cloudmend' };
}

/** Undo's clients, held to the step's declared undo permissions (recorded as `undo:<bot>`, outside the bots' own check). */
function recordedUndoClients(step: UndoStep, factory: ClientFactory): ClientFactory {
  const { entry } = step;
  return recordingClientFactory({ name: `undo:${entry.bot}`, permissions: step.kind?.permissions ?? [] }, factory, {
    scope: {
      partition: entry.partition,
      account: entry.account,
      region: entry.region,
      resourceId: entry.resourceId,
      ...(step.change.undo?.ids ? { derived: step.change.undo.ids } : {}),
    },
    dryRun: false,
  });
}

/** What `cloudmend undo` is given to talk through: its output collected, no prompt, recorded clients. */
export function undoIo(now = new Date()): { printed: string[]; io: UndoIo; text: () => string } {
  const printed: string[] = [];
  return {
    printed,
    text: () => printed.join(''),
    io: { out: (t: string) => void printed.push(t), confirm: async () => false, now: () => now, clients: recordedUndoClients },
  };
}

/** `cloudmend undo --result <id> --yes`: its exit code and what it printed. */
export async function undoThroughCli(resultId: string): Promise<{ code: number; printed: string }> {
  const { io, text } = undoIo();
  const code = await undo(undoArgs({ resultId }), io);
  return { code, printed: text() };
}

export interface UndoScope {
  account: string;
  region: string;
  resourceId: string;
}

/** The journal entry the remediation state writes for `changes` of one run of `bot`. */
export function journalEntry(bot: string, changes: readonly Change[], scope: UndoScope): JournalEntry {
  return {
    resultId: 'test-result',
    findingId: 'test-finding',
    bot,
    partition: 'aws',
    ...scope,
    at: new Date().toISOString(),
    changes: undoableChanges([...changes]),
  };
}

/** The undo plan of one result: each step with the session policy `cloudmend undo` would assume it with (or its refusal). */
export function undoSteps(
  bot: string,
  changes: readonly Change[],
  scope: UndoScope,
): Array<{ step: UndoStep; refusal?: string; sessionPolicy?: PolicyDocument }> {
  return planUndo([journalEntry(bot, changes, scope)], getBot).map((step) =>
    step.refusal ? { step, refusal: step.refusal } : { step, sessionPolicy: undoSessionPolicy(step) },
  );
}

/** Undoes one bot result without the state table: each step under a member session holding its undo session policy. */
export async function undoResult(bot: string, result: BotResult, scope: UndoScope): Promise<StepOutcome[]> {
  const steps = planUndo([journalEntry(bot, result.changes, scope)], getBot);
  return executeUndo(steps, async (step) => (await memberSession(scope.account, scope.region, undoSessionPolicy(step))).client);
}
