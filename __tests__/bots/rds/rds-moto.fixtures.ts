/**
 * Shared by the RDS bots' moto tests: a seeded DB instance in a member account,
 * a run of a bot under its own session policy, and remediate-then-undo through
 * the remediation state and `cloudmend undo`, as __tests__/handler/state/undo.integration.test.ts drives it.
 */
import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  type CreateDBInstanceMessage,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot, BotResult, DerivedIds, ResourceType } from '../../../bots/types';
import { undo } from '../../../cli/undo';
import { createLogger } from '../../../handler/log';
import { runAll, type RunOutcome } from '../../../handler/run';
import { createRemediationState } from '../../../handler/state';
import { botContext } from '../../support/bot-context';
import { memberSession } from '../../support/moto';
import { createStateTable } from '../../handler/state/support';

export const MEMBER = '222222222222';
export const REGION = 'us-east-1';
const TABLE = 'cloudmend-state-us-east-1';
const silent = createLogger({ write: () => {} });

export async function admin(): Promise<RDSClient> {
  return (await memberSession(MEMBER, REGION)).client(RDSClient);
}

export async function seedInstance(identifier: string, extra: Partial<CreateDBInstanceMessage> = {}): Promise<DBInstance> {
  const rds = await admin();
  const { DBInstance: created } = await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: identifier,
      DBInstanceClass: 'db.t3.micro',
      Engine: 'postgres',
      MasterUsername: 'admin_user',
      MasterUserPassword: 'not-a-real-password',
      AllocatedStorage: 20,
      ...extra,
    }),
  );
  return created!;
}

export async function readInstance(identifier: string): Promise<DBInstance> {
  const { DBInstances } = await (await admin()).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
  return DBInstances![0]!;
}

/** Runs the bot with the session policy the handler would pass (narrowed again for the ids it reads). */
export async function runBot(
  bot: Bot,
  resourceId: string,
  options: { params?: Record<string, unknown>; dryRun?: boolean; type?: ResourceType } = {},
): Promise<BotResult> {
  const scope = { partition: 'aws', account: MEMBER, region: REGION, resourceId };
  const session = await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, scope));
  const narrowClient = async (ids: DerivedIds) =>
    (await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { ...scope, derived: ids }))).client;
  return bot.run(
    botContext(bot, {
      resource: { type: options.type ?? 'AWS::RDS::DBInstance', id: resourceId },
      client: session.client,
      narrowClient,
      ...(options.params ? { params: options.params } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    }),
  );
}

/** Runs the bot through the handler's runner and remediation state, so its changes are journalled for undo. */
export async function remediateJournalled(
  bot: Bot,
  resourceId: string,
  params: Record<string, unknown> = {},
  type: ResourceType = 'AWS::RDS::DBInstance',
): Promise<RunOutcome> {
  await createStateTable(TABLE, REGION);
  const session = await memberSession(MEMBER, REGION);
  const credentials = {
    forRun: async () => ({ credentials: session.credentials, sessionPolicy: { Version: '2012-10-17' as const, Statement: [] } }),
  };
  const state = createRemediationState({ tableName: TABLE, region: REGION, log: silent });
  const finding = {
    source: 'cloudguard' as const,
    id: `f-${resourceId}`,
    rule: 'r',
    severity: 'high' as const,
    status: 'FAILED' as const,
    partition: 'aws',
    account: MEMBER,
    region: REGION,
    resource: { type, id: resourceId },
    requestedActions: [],
    raw: {},
    notes: [],
  };
  const [outcome] = await runAll([{ finding, bot, params: bot.meta.params.parse(params), requestedBy: 'finding' as const }], {
    credentials,
    dryRun: false,
    log: silent,
    state,
  });
  return outcome!;
}

/** `cloudmend undo --result <id> --yes`: its exit code and what it printed. */
export async function undoResult(resultId: string): Promise<{ code: number; printed: string }> {
  const printed: string[] = [];
  const code = await undo(
    { region: REGION, query: { resultId }, yes: true, memberRole: 'CloudmendRemediation', externalId: 'cloudmend' },
    { out: (t) => void printed.push(t), confirm: async () => false, now: () => new Date() },
  );
  return { code, printed: printed.join('') };
}
