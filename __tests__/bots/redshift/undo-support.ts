/**
 * Remediate through the remediation state, then `cloudmend undo`, against moto,
 * as __tests__/handler/state/undo.integration.test.ts drives it: shared by the
 * Redshift, SNS and SQS bots' integration tests.
 */
import type { Bot, ResourceType } from '../../../bots/types';
import { undo, type UndoArgs } from '../../../cli/undo';
import { createLogger } from '../../../handler/log';
import { runAll, type RunOutcome } from '../../../handler/run';
import type { SourcedFinding } from '../../../handler/sources/types';
import { createRemediationState } from '../../../handler/state';
import { memberSession } from '../../support/moto';
import { createStateTable } from '../../handler/state/support';

export const MEMBER = '222222222222';
export const REGION = 'us-east-1';
const TABLE = 'cloudmend-state-us-east-1';
const silent = createLogger({ write: () => {} });

export function prepareUndoState(): Promise<unknown> {
  return createStateTable(TABLE, REGION);
}

export async function remediate(bot: Bot, type: string, resourceId: string, params: Record<string, unknown> = {}): Promise<RunOutcome> {
  const session = await memberSession(MEMBER, REGION);
  const credentials = {
    forRun: async () => ({ credentials: session.credentials, sessionPolicy: { Version: '2012-10-17' as const, Statement: [] } }),
  };
  const finding: SourcedFinding = {
    source: 'cloudguard',
    id: `f-${resourceId}`,
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: MEMBER,
    region: REGION,
    resource: { type: type as ResourceType, id: resourceId },
    requestedActions: [],
    raw: {},
    notes: [],
  };
  const state = createRemediationState({ tableName: TABLE, region: REGION, log: silent });
  const [outcome] = await runAll([{ finding, bot, params: bot.meta.params.parse(params), requestedBy: 'finding' as const }], {
    credentials,
    dryRun: false,
    log: silent,
    state,
  });
  return outcome!;
}

/** Undoes one result; resolves to the exit code and what the CLI printed. */
export async function undoResult(resultId: string): Promise<{ code: number; printed: string }> {
  const printed: string[] = [];
  const args: UndoArgs = {
    region: REGION,
    query: { resultId },
    yes: true,
    memberRole: 'CloudmendRemediation',
    externalId: 'cloudmend',
  };
  const code = await undo(args, { out: (t: string) => void printed.push(t), confirm: async () => false, now: () => new Date() });
  return { code, printed: printed.join('') };
}
