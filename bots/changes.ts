import type { BotContext, BotResult, Change, ChangeUndo } from './types';

export interface PlannedChange {
  action: string;
  target: string;
  description: string;
  /** The state before and after, when the bot's metadata declares this kind of change reversible. */
  undo?: ChangeUndo;
}

/**
 * Records the writes a bot makes, and makes dry run a property of the
 * framework instead of an `if` in every bot: in dry run `apply` records the
 * change and skips the call, so a bot's code reads the same in both modes.
 */
export class ChangeSet {
  private readonly changes: Change[] = [];

  constructor(private readonly ctx: Pick<BotContext, 'dryRun' | 'log'>) {}

  /** Runs `write` (unless dry run) and records the change. Returns the write's result, or undefined in dry run. */
  async apply<T>(change: PlannedChange, write: () => Promise<T>): Promise<T | undefined> {
    if (this.ctx.dryRun) {
      this.changes.push({ ...change, applied: false });
      this.ctx.log.info('dry run: would change', { ...change });
      return undefined;
    }
    let output: T;
    try {
      output = await write();
    } catch (error) {
      // The writes that did succeed must still be reported: the runner reads them off the error.
      recordAppliedChanges(error, this.changes);
      throw error;
    }
    this.changes.push({ ...change, applied: true });
    this.ctx.log.info('changed', { ...change });
    return output;
  }

  get size(): number {
    return this.changes.length;
  }

  /**
   * The bot's result: `already-compliant` when nothing was (or would be) changed,
   * otherwise `remediated`, or `dry-run` in dry run.
   */
  result(message: string, compliantMessage = 'already compliant, nothing to change'): BotResult {
    if (this.changes.length === 0) return { status: 'already-compliant', message: compliantMessage, changes: [] };
    if (this.ctx.dryRun) {
      // Bots word their message for the change made; in dry run nothing was, and the message must say so.
      return { status: 'dry-run', message: `dry run, nothing changed: would have ${message}`, changes: [...this.changes] };
    }
    return { status: 'remediated', message, changes: [...this.changes] };
  }
}

export function alreadyCompliant(message: string): BotResult {
  return { status: 'already-compliant', message, changes: [] };
}

/** The bot decided not to act (e.g. an AWS-managed key, the default security group): reported, not retried. */
export function skipped(message: string): BotResult {
  return { status: 'skipped', message, changes: [] };
}

const APPLIED_CHANGES = Symbol.for('cloudmend.appliedChanges');

function recordAppliedChanges(error: unknown, changes: readonly Change[]): void {
  if (error !== null && typeof error === 'object') {
    Object.defineProperty(error, APPLIED_CHANGES, { value: [...changes], enumerable: false, configurable: true });
  }
}

/** The changes a bot had already made when it failed with `error` (a write that failed midway is not among them). */
export function appliedChangesOf(error: unknown): Change[] {
  if (error === null || typeof error !== 'object') return [];
  return ((error as Record<symbol, unknown>)[APPLIED_CHANGES] as Change[] | undefined) ?? [];
}
