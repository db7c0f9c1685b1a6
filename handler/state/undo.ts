/**
 * `cloudmend undo`, minus its input and output: which recorded changes can be
 * reversed (a plan, with the reason for each one that cannot), then, once
 * approved, each reversed with credentials holding only its undo permissions,
 * after checking the resource is still as the remediation left it.
 */
import { sessionPolicyFor, type PolicyDocument } from '../../bots/permissions';
import type { Bot, Change, ClientFactory, UndoKind, Undoer } from '../../bots/types';
import { JOURNAL_DAYS, type JournalEntry } from './journal';

export interface UndoStep {
  entry: JournalEntry;
  change: Change;
  /** Ready to reverse, or why not. */
  refusal?: string;
  how?: string;
  kind?: Extract<UndoKind, { reversible: true }>;
  undoer?: Undoer;
}

/** Every recorded change of `entries`, newest change first within an entry (reversed in the opposite order they were made). */
export function planUndo(entries: readonly JournalEntry[], getBot: (name: string) => Bot | undefined): UndoStep[] {
  return entries.flatMap((entry) =>
    [...entry.changes].reverse().map((change): UndoStep => {
      const refuse = (refusal: string): UndoStep => ({ entry, change, refusal });
      if (entry.expired) return refuse(`its change record expired (kept ${JOURNAL_DAYS} days after ${entry.at}); nothing to restore from`);
      if (entry.undoneAt) return refuse(`already undone at ${entry.undoneAt}`);
      const record = change.undo;
      if (!record) return refuse('the bot recorded no before-state for this change');
      const bot = getBot(entry.bot);
      const kind = bot?.meta.undo?.[record.kind];
      if (!bot || !kind) return refuse(`${entry.bot} declares no undo for changes of kind ${record.kind}`);
      if (!kind.reversible) return refuse(`irreversible: ${kind.why}`);
      const unnamed = (kind.recordsIds ?? []).filter((key) => !record.ids?.[key]);
      if (unnamed.length > 0) {
        return refuse(
          `the change record names no ${unnamed.join(' or ')} for its undo session (recorded before ${entry.bot} recorded them), ` +
            `and undo is never granted more than the record names; restore by hand to ${canonical(record.before)}`,
        );
      }
      const undoer = bot.undoers?.[record.kind];
      if (!undoer) return refuse(`${entry.bot} declares ${record.kind} reversible but has no undoer for it`);
      return { entry, change, how: kind.how, kind, undoer };
    }),
  );
}

/**
 * The session policy an undo step runs with: its kind's undo permissions, on
 * the change's resource only (the finding's resource, and the derived ids the
 * change recorded, e.g. the network interface whose groups it set).
 */
export function undoSessionPolicy(step: UndoStep): PolicyDocument {
  const { entry } = step;
  return sessionPolicyFor(
    { permissions: step.kind?.permissions ?? [] },
    {
      partition: entry.partition,
      account: entry.account,
      region: entry.region,
      resourceId: entry.resourceId,
      derived: step.change.undo?.ids ?? {},
    },
  );
}

/** JSON with sorted keys: states compare by content, whatever order their fields were read in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export interface StepOutcome {
  step: UndoStep;
  status: 'restored' | 'refused' | 'failed';
  message: string;
}

/**
 * Reverses the ready steps one by one. A step whose resource no longer reads
 * as the remediation left it is refused: something (or someone) changed it
 * since, and writing the old state over that would lose their change.
 */
export async function executeUndo(
  steps: readonly UndoStep[],
  clientFor: (step: UndoStep) => Promise<ClientFactory>,
): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (const step of steps) {
    const { entry, change, undoer } = step;
    const record = change.undo;
    if (step.refusal || !undoer || !record) {
      outcomes.push({ step, status: 'refused', message: step.refusal ?? 'not reversible' });
      continue;
    }
    try {
      const ctx = {
        client: await clientFor(step),
        partition: entry.partition,
        account: entry.account,
        region: entry.region,
        target: change.target,
        change: record,
      };
      const current = await undoer.read(ctx);
      if (canonical(current) !== canonical(record.after)) {
        outcomes.push({
          step,
          status: 'refused',
          message: `the resource changed after the remediation: it is now ${canonical(current)}, the remediation left ${canonical(record.after)}; nothing restored`,
        });
        continue;
      }
      await undoer.write(ctx, record.before);
      const restored = await undoer.read(ctx);
      outcomes.push(
        canonical(restored) === canonical(record.before)
          ? { step, status: 'restored', message: `restored ${change.target} to ${canonical(record.before)}` }
          : {
              step,
              status: 'failed',
              message: `wrote ${canonical(record.before)} but ${change.target} reads back as ${canonical(restored)}`,
            },
      );
    } catch (error) {
      outcomes.push({ step, status: 'failed', message: `${(error as Error).name}: ${(error as Error).message}` });
    }
  }
  return outcomes;
}
