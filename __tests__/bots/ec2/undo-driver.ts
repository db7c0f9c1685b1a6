/**
 * Remediate through the remediation state (which journals the bot's changes),
 * then `cloudmend undo` it, against moto: as __tests__/handler/state/undo.integration.test.ts
 * drives it, for the ec2 bots' own integration tests.
 */
import type { Bot, ResourceType } from '../../../bots/types';
import { undo, type UndoArgs } from '../../../cli/undo';
import { createLogger } from '../../../handler/log';
import { runAll, type RunOutcome } from '../../../handler/run';
import { createRemediationState } from '../../../handler/state';
import type { SourcedFinding } from '../../../handler/sources/types';
import { memberSession } from '../../support/moto';
import { createStateTable } from '../../handler/state/support';
import { MEMBER, REGION } from './moto-seed';

const TABLE = `cloudmend-state-${REGION}`;
const silent = createLogger({ write: () => {} });

export async function createUndoTable(): Promise<void> {
  await createStateTable(TABLE, REGION);
}

export async function remediate(
  bot: Bot,
  type: ResourceType,
  resourceId: string,
  params: Record<string, unknown> = {},
): Promise<RunOutcome> {
  const session = await memberSession(MEMBER, REGION);
  const finding: SourcedFinding = {
    source: 'cloudguard',
    id: `f-${resourceId}`,
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
  const credentials = {
    forRun: async () => ({ credentials: session.credentials, sessionPolicy: { Version: '2012-10-17' as const, Statement: [] } }),
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

/** Undoes one result; returns the exit code and what undo printed. */
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
