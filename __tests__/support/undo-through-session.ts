/**
 * For bot integration tests: `cloudmend undo` of one bot result the way the
 * CLI drives it (handler/state/undo.ts: plan, then each step under a session
 * holding only its kind's undo permissions on the resource), without the state
 * table that journals results in production.
 */
import { getBot } from '../../bots';
import type { BotResult } from '../../bots/types';
import { undoableChanges } from '../../handler/state/journal';
import { executeUndo, planUndo, type StepOutcome, undoSessionPolicy } from '../../handler/state/undo';
import { memberSession } from './moto';

export async function undoResult(
  bot: string,
  result: BotResult,
  scope: { account: string; region: string; resourceId: string },
): Promise<StepOutcome[]> {
  const entry = {
    resultId: 'test-result',
    findingId: 'test-finding',
    bot,
    partition: 'aws',
    ...scope,
    at: new Date().toISOString(),
    changes: undoableChanges(result.changes),
  };
  const steps = planUndo([entry], getBot);
  return executeUndo(steps, async (step) => (await memberSession(scope.account, scope.region, undoSessionPolicy(step))).client);
}
