/**
 * Records every SDK command a bot sends in its tests, attributed to the bot, and
 * refuses (before anything is sent) a command whose IAM action the bot's
 * metadata does not declare. The records of a test file are written on afterAll
 * (recording-setup.ts) so a check after the whole run can prove the converse:
 * that every declared action was exercised by some test.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { actionsOf } from '../../bots/permissions';
import type { BotMeta, ClientFactory, DerivedIds, SdkClientConfig } from '../../bots/types';
import { iamActionsForCommand } from './iam-actions-for-command';

export const REPO_ROOT = resolve(__dirname, '../..');
export const RECORDS_DIR = join(REPO_ROOT, '.gen', 'recorded-calls');

/** What the handler would narrow the session policy to for this run. */
export interface RecordedScope {
  partition: string;
  account: string;
  region: string;
  resourceId: string;
  /** Sent through a narrowed session (BotContext.narrowTo): the ids it names. */
  derived?: DerivedIds;
}

export interface RecordedCall {
  bot: string;
  client: string;
  command: string;
  /** The IAM actions AWS checks for this command with this input. */
  actions: string[];
  input: unknown;
  /** The region the client was bound to. */
  region: string;
  scope: RecordedScope;
  dryRun: boolean;
  test: string;
}

export interface RecordFile {
  testPath: string;
  calls: RecordedCall[];
}

const calls: RecordedCall[] = [];
const violations: string[] = [];

export class UndeclaredCommandError extends Error {}

/** The calls recorded so far in this test file. */
export function recordedCalls(): readonly RecordedCall[] {
  return calls;
}

/** Undeclared commands sent since the last call: a bot may swallow the thrown error, so the test is failed from here too. */
export function takeViolations(): string[] {
  return violations.splice(0, violations.length);
}

export function undeclaredActionsMessage(bot: string, command: string, missing: string[], declared: string[]): string {
  return (
    `bot ${bot} sent ${command}, which needs ${missing.join(', ')}, but its metadata does not declare ${missing.length > 1 ? 'them' : 'it'} ` +
    `(declared: ${declared.join(', ') || 'nothing'}): add the permission to the bot, or stop sending the command`
  );
}

interface Sendable {
  send: (command: { input?: unknown; constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown>;
}

/**
 * Wraps the clients a factory builds so each `send` is recorded and checked. The
 * wrapper is a view of the client (its prototype is the client) with its own
 * `send`, which calls the client's `send` at call time, so aws-sdk-client-mock's
 * prototype stub (installed before or after) and real endpoints (moto) both
 * still receive the command. The client itself is left as it is: the handler's
 * factory reuses clients, and one bot's recorder must never wrap another's.
 */
export function recordingClientFactory(
  meta: Pick<BotMeta, 'name' | 'permissions'>,
  inner: ClientFactory,
  context: { scope: RecordedScope; dryRun: boolean },
): ClientFactory {
  const declared = actionsOf(meta);
  return ((ClientClass: new (config: SdkClientConfig) => unknown, overrides?: { region?: string }) => {
    const client = inner(ClientClass, overrides) as Sendable;
    const region = overrides?.region ?? context.scope.region;
    const recorded = Object.create(client) as Sendable;
    recorded.send = function recordedSend(command, ...rest) {
      const commandName = command.constructor.name;
      const input = (command.input ?? {}) as Record<string, unknown>;
      const actions = iamActionsForCommand(ClientClass.name, commandName, input);
      calls.push({
        bot: meta.name,
        client: ClientClass.name,
        command: commandName,
        actions,
        input: JSON.parse(JSON.stringify(input)) as unknown,
        region,
        scope: context.scope,
        dryRun: context.dryRun,
        test: expect.getState().currentTestName ?? '',
      });
      const missing = actions.filter((action) => !declared.includes(action));
      if (missing.length > 0) {
        const message = undeclaredActionsMessage(meta.name, commandName, missing, declared);
        violations.push(message);
        return Promise.reject(new UndeclaredCommandError(message));
      }
      return client.send(command, ...rest);
    };
    return recorded;
  }) as ClientFactory;
}

/**
 * Issue #11, no silent gaps: every change a bot records names, in `undo.kind`,
 * a kind of change its `undo` metadata declares, reversible (with its undoer)
 * or irreversible with the reason; a change without one fails the test.
 */
export function recordUndeclaredChange(meta: Pick<BotMeta, 'name' | 'undo'>, change: unknown): void {
  const { action, undo } = (change ?? {}) as { action?: string; undo?: { kind?: string } };
  const declared = Object.keys(meta.undo ?? {});
  if (undo?.kind !== undefined && declared.includes(undo.kind)) return;
  violations.push(
    `bot ${meta.name} recorded a change (${action}) ${undo?.kind === undefined ? 'without an undo record' : `of kind ${undo.kind}, which its undo metadata does not declare`} ` +
      `(declared kinds: ${declared.join(', ') || 'none'}): record undo: { kind, before, after } and declare the kind in meta.undo, ` +
      'reversible with an undoer or irreversible with why (issue #11)',
  );
}

/** `.gen/recorded-calls/__tests__~bots~s3~x.test.ts.json`: one file per test file, overwritten on each run of it. */
export function recordFileFor(testPath: string): string {
  return join(RECORDS_DIR, `${relative(REPO_ROOT, testPath).split(/[\\/]/).join('~')}.json`);
}

export function writeRecords(testPath: string): void {
  if (calls.length === 0) {
    // A file that no longer drives any bot must not keep vouching for old calls.
    rmSync(recordFileFor(testPath), { force: true });
    return;
  }
  mkdirSync(RECORDS_DIR, { recursive: true });
  const file: RecordFile = { testPath: relative(REPO_ROOT, testPath), calls };
  writeFileSync(recordFileFor(testPath), `${JSON.stringify(file, null, 1)}\n`);
}
