import type { BotContext, BotResult, Change, ChangeUndo } from './types';
import { ConflictingCreate } from './errors';

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

  constructor(private readonly ctx: Pick<BotContext, 'dryRun' | 'log'>) {
    // Known to the run's context, so a failure anywhere in the bot (a read after a write, a conflict) still reports the writes made.
    changeSetsOf(ctx, true)?.push(this);
  }

  /** The writes made so far (not dry-run ones). */
  get applied(): Change[] {
    return this.changes.filter((change) => change.applied);
  }

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
const CHANGE_SETS = Symbol.for('cloudmend.changeSets');

function changeSetsOf(ctx: object, create: boolean): ChangeSet[] | undefined {
  const holder = ctx as Record<symbol, ChangeSet[] | undefined>;
  if (!holder[CHANGE_SETS] && create && Object.isExtensible(ctx)) {
    Object.defineProperty(ctx, CHANGE_SETS, { value: [], enumerable: false });
  }
  return holder[CHANGE_SETS];
}

/**
 * Every write made through the ChangeSets of one run's context, whatever the
 * bot threw and wherever: the runner reports them with the failure.
 */
export function appliedChangesIn(ctx: object): Change[] {
  return (changeSetsOf(ctx, false) ?? []).flatMap((set) => set.applied);
}

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

/** Thrown inside a create to abandon it without reporting it: someone else's create got there first. */
class CreatedElsewhere extends Error {
  override readonly name = 'CreatedElsewhere';
}

/**
 * Create-or-get for the helpers bots share (a quarantine group, the flow-log
 * role, a log bucket): runs `create` through the ChangeSet, and when the
 * service answers that the thing already exists (a concurrent run got there
 * first, or our own create succeeded but its response was lost and the SDK
 * retried it) reports no change of ours and returns `{ created: false }`, so
 * the caller reads the resource back and checks it is its own. Any other error
 * passes through with the changes made before it.
 */
export async function createOrAdopt<T>(
  changes: ChangeSet,
  change: PlannedChange,
  create: () => Promise<T>,
  alreadyExists: (error: unknown) => boolean,
): Promise<{ created: true; output: T | undefined } | { created: false }> {
  try {
    const output = await changes.apply(change, async () => {
      try {
        return await create();
      } catch (error) {
        throw alreadyExists(error) ? new CreatedElsewhere(String((error as { name?: unknown } | null)?.name)) : error;
      }
    });
    return { created: true, output };
  } catch (error) {
    if (error instanceof CreatedElsewhere) return { created: false };
    throw error;
  }
}

/** Another writer's change is visible but not settled (a create said "already exists" yet reads find nothing): retryable, never permanent. */
export function settlingConflict(what: string): ConflictingCreate {
  return new ConflictingCreate(`${what}: changed by another run at the same moment and not settled yet; a retry will find it done`);
}
