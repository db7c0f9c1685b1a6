/**
 * Shared by the RDS bots' moto tests: a seeded DB instance in a member account,
 * a run of a bot under its own session policy, and a run journalled through the
 * remediation state for `cloudmend undo` (the one driver: support/undo-through-session.ts).
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
import type { RunOutcome } from '../../../handler/run';
import { botContext } from '../../support/bot-context';
import { memberSession } from '../../support/moto';
import { MEMBER, prepareUndoState, REGION, remediate } from '../../support/undo-through-session';

export { MEMBER, REGION };

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

/**
 * Runs the bot through the handler's runner and remediation state, so its changes are journalled for undo
 * (the one driver: support/undo-through-session.ts, whose `undoThroughCli` undoes them).
 */
export async function remediateJournalled(
  bot: Bot,
  resourceId: string,
  params: Record<string, unknown> = {},
  type: ResourceType = 'AWS::RDS::DBInstance',
): Promise<RunOutcome> {
  await prepareUndoState();
  return remediate(bot, type, resourceId, params);
}
