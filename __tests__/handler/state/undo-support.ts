/**
 * For the remediate-then-undo tests against moto (undo-<service>.integration.test.ts): the shared driver
 * (__tests__/support/undo-through-session.ts), with `undoResult` taking the run's outcome.
 */
import type { RunOutcome } from '../../../handler/run';
import { undoThroughCli } from '../../support/undo-through-session';

export { MEMBER, REGION, remediate, UNDO_TABLE as TABLE, undoArgs, undoIo } from '../../support/undo-through-session';

/** `cloudmend undo --result <id> --yes`: its exit code and what it printed. */
export async function undoResult(outcome: RunOutcome): Promise<{ code: number; text: string }> {
  const { code, printed } = await undoThroughCli(outcome.resultId!);
  return { code, text: printed };
}
