/**
 * For bot integration tests: `cloudmend undo` of one bot result the way the
 * CLI drives it (handler/state/undo.ts: plan, then each step under a session
 * holding only its kind's undo permissions on the resource), without the state
 * table that journals results in production.
 */
import { getBot } from '../../bots';
import type { PolicyDocument } from '../../bots/permissions';
import type { BotResult, Change } from '../../bots/types';
import { type JournalEntry, undoableChanges } from '../../handler/state/journal';
import { executeUndo, planUndo, type StepOutcome, type UndoStep, undoSessionPolicy } from '../../handler/state/undo';
import { memberSession } from './moto';

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

export async function undoResult(bot: string, result: BotResult, scope: UndoScope): Promise<StepOutcome[]> {
  const steps = planUndo([journalEntry(bot, result.changes, scope)], getBot);
  return executeUndo(steps, async (step) => (await memberSession(scope.account, scope.region, undoSessionPolicy(step))).client);
}
