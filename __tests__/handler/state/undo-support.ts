/**
 * For the remediate-then-undo tests against moto (undo-<service>.integration.test.ts):
 * a bot runs through the remediation state (which journals its changes), then
 * `cloudmend undo` restores with the member role. The clients undo uses are
 * recorded against the kind's declared undo permissions, so an undoer sending
 * a command its kind does not declare fails the test (as bots' commands do).
 */
import type { Bot, ClientFactory, ResourceType } from '../../../bots/types';
import { undo, type UndoArgs, type UndoIo } from '../../../cli/undo';
import { createLogger } from '../../../handler/log';
import { runAll, type RunOutcome } from '../../../handler/run';
import { createRemediationState } from '../../../handler/state';
import type { UndoStep } from '../../../handler/state/undo';
import type { SourcedFinding } from '../../../handler/sources/types';
import { memberSession } from '../../support/moto';
import { recordingClientFactory } from '../../support/recording';

export const MEMBER = '222222222222';
export const REGION = 'us-east-1';
export const TABLE = 'cloudmend-state-us-east-1';
const silent = createLogger({ write: () => {} });

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
export async function remediate(
  bot: Bot,
  type: ResourceType,
  resourceId: string,
  params: Record<string, unknown> = {},
): Promise<RunOutcome> {
  const session = await memberSession(MEMBER, REGION);
  const credentials = {
    forRun: async () => ({ credentials: session.credentials, sessionPolicy: { Version: '2012-10-17' as const, Statement: [] } }),
  };
  const state = createRemediationState({ tableName: TABLE, region: REGION, log: silent });
  const planned = {
    finding: finding(`f-${resourceId}`, type, resourceId),
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

export function undoIo(now = new Date()): { printed: string[]; io: UndoIo; text: () => string } {
  const printed: string[] = [];
  return {
    printed,
    text: () => printed.join(''),
    io: { out: (t: string) => void printed.push(t), confirm: async () => false, now: () => now, clients: recordedUndoClients },
  };
}

/** `cloudmend undo --result <id> --yes`: its exit code and what it printed. */
export async function undoResult(outcome: RunOutcome): Promise<{ code: number; text: string }> {
  const { io, text } = undoIo();
  const code = await undo(undoArgs({ resultId: outcome.resultId! }), io);
  return { code, text: text() };
}
