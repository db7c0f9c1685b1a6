/**
 * What the RDS instance bots share: the finding's DB instance identifier (an
 * identifier or an instance ARN in the finding's region), the ARN template for
 * permissions, one DescribeDBInstances read, and the undo of a single
 * ModifyDBInstance setting.
 */
import type { DBInstance, ModifyDBInstanceMessage, RDSClient } from '@aws-sdk/client-rds';
import type { BotContext, Permission, Undoer, UndoContext } from '../types';
import { sdk } from '../sdk';

/** The DB instance the finding names. */
export const DB_ARN_TEMPLATE = 'arn:{partition}:rds:{region}:{account}:db:{resourceId}';

/** `arn:aws:rds:eu-west-1:111122223333:db:orders` -> region and identifier. */
const DB_ARN = /^arn:[\w-]+:rds:([\w-]+):\d{12}:db:(.+)$/;

/** RDS identifiers: a letter, then letters, digits and single hyphens, at most 63 characters. */
const DB_IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

/**
 * The identifier ModifyDBInstance takes. The finding may carry the instance
 * ARN instead (Security Hub does); an ARN in another region than the finding's
 * would make the bot act in the wrong place, so it is rejected.
 */
export function dbInstanceIdentifier(botName: string, resourceId: string, ctx: Pick<BotContext, 'region'>): string {
  return rdsIdentifier(botName, 'db', resourceId, ctx);
}

export function dbArn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, identifier: string): string {
  return `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:db:${identifier}`;
}

export async function describeDbInstance(rds: RDSClient, identifier: string): Promise<DBInstance> {
  const { DescribeDBInstancesCommand } = await sdk.rds();
  const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
  const instance = described.DBInstances?.find((db) => db.DBInstanceIdentifier === identifier) ?? described.DBInstances?.[0];
  if (!instance) throw new Error(`DescribeDBInstances returned no instance for ${identifier}`);
  return instance;
}

/** The identifier in a change's target (the instance ARN the bot recorded). */
export function identifierOfTarget(target: string): string {
  return DB_ARN.exec(target)?.[2] ?? target;
}

/**
 * States in which RDS refuses a modification or the instance is going away:
 * reported, not retried (a stopped instance must be started first).
 */
export function unmodifiable(instance: DBInstance): string | undefined {
  const status = instance.DBInstanceStatus;
  if (status === 'deleting' || status === 'deleted' || status === 'stopped' || status === 'stopping' || status === 'failed') {
    return status;
  }
  return undefined;
}

/** A boolean ModifyDBInstance setting as DescribeDBInstances shows it, a pending change (when RDS lists one) first. */
export type FlagName = 'PubliclyAccessible' | 'DeletionProtection' | 'AutoMinorVersionUpgrade' | 'MultiAZ';

export function flagOf(instance: DBInstance, flag: FlagName): boolean {
  if (flag === 'MultiAZ' && instance.PendingModifiedValues?.MultiAZ !== undefined) return instance.PendingModifiedValues.MultiAZ;
  return instance[flag] ?? false;
}

/** Undo permissions of a ModifyDBInstance setting: the bot's own read and write, for undo sessions. */
export function modifyUndoPermissions(what: string): Permission[] {
  return [
    {
      actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
      resources: [DB_ARN_TEMPLATE],
      reason: `undo: read the DB instance and restore its ${what}`,
    },
  ];
}

/**
 * Undo of one boolean setting: reads `{ [flag]: value }` and writes the
 * recorded one back. `applyImmediately` false for settings RDS applies at once
 * anyway: true would also push any modification pending for the maintenance
 * window through now.
 */
export function flagUndoer(flag: FlagName, applyImmediately: boolean): Undoer {
  return {
    async read(ctx: UndoContext) {
      const { RDSClient } = await sdk.rds();
      const instance = await describeDbInstance(ctx.client(RDSClient), identifierOfTarget(ctx.target));
      return { [flag]: flagOf(instance, flag) };
    },
    async write(ctx: UndoContext, state: unknown) {
      const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
      const value = (state as Record<string, unknown>)[flag];
      if (typeof value !== 'boolean') throw new Error(`undo of ${flag}: the recorded state ${JSON.stringify(state)} holds no boolean`);
      const input: ModifyDBInstanceMessage = {
        DBInstanceIdentifier: identifierOfTarget(ctx.target),
        [flag]: value,
        ApplyImmediately: applyImmediately,
      };
      await ctx.client(RDSClient).send(new ModifyDBInstanceCommand(input));
    },
  };
}

/** The ARN resource kinds of RDS, as in `arn:aws:rds:<region>:<account>:<kind>:<identifier>`. */
export type RdsKind = 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot';

const KIND_WORDS: Record<RdsKind, string> = {
  db: 'DB instance',
  cluster: 'DB cluster',
  snapshot: 'DB snapshot',
  'cluster-snapshot': 'DB cluster snapshot',
};

/**
 * The identifier of the RDS resource the finding names (an identifier, or an
 * ARN of `kind` in the finding's region); anything else is rejected before any call.
 */
export function rdsIdentifier(botName: string, kind: RdsKind, resourceId: string, ctx: Pick<BotContext, 'region'>): string {
  const what = KIND_WORDS[kind];
  let identifier = resourceId;
  if (resourceId.startsWith('arn:')) {
    const match = /^arn:[\w-]+:rds:([\w-]+):\d{12}:([a-z-]+):(.+)$/.exec(resourceId);
    if (!match || match[2] !== kind) throw new Error(`${botName}: "${resourceId}" is not a ${what} identifier or ${what} ARN`);
    if (match[1] !== ctx.region)
      throw new Error(`${botName}: ${what} ${resourceId} is in ${match[1]}, but the finding is for ${ctx.region}`);
    identifier = match[3] ?? '';
  }
  const max = kind === 'db' || kind === 'cluster' ? 63 : 255;
  if (!DB_IDENTIFIER.test(identifier) || identifier.length > max)
    throw new Error(`${botName}: "${resourceId}" is not a ${what} identifier`);
  return identifier;
}

export function rdsArn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, kind: RdsKind, identifier: string): string {
  return `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:${kind}:${identifier}`;
}
