import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type BotContext } from '../types';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const DEFAULT_DAYS = 7;

const params = z.strictObject({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(35)
    .default(DEFAULT_DAYS)
    .describe('Minimum automated backup retention in days (1-35, the range RDS allows). A longer existing retention is kept.'),
  apply_immediately: flagParam
    .default(true)
    .describe(
      'Apply the change now (true) or in the next maintenance window (false). Turning backups on from 0 days causes a brief outage (I/O suspension) on some engines either way.',
    ),
});

/** `arn:aws:rds:eu-west-1:111122223333:db:orders` -> region and identifier. */
const DB_ARN = /^arn:[\w-]+:rds:([\w-]+):\d{12}:db:(.+)$/;

/**
 * The identifier ModifyDBInstance takes. The finding may carry the instance
 * ARN instead (Security Hub does); an ARN in another region than the finding's
 * would make the bot act in the wrong place, so it is rejected.
 */
function dbInstanceIdentifier(resourceId: string, ctx: Pick<BotContext, 'region'>): string {
  if (!resourceId.startsWith('arn:')) return resourceId;
  const match = DB_ARN.exec(resourceId);
  if (!match) throw new Error(`rds_enable_backup: "${resourceId}" is not a DB instance identifier or DB instance ARN`);
  const [, region, identifier = ''] = match;
  if (region !== ctx.region) {
    throw new Error(`rds_enable_backup: DB instance ${resourceId} is in ${region}, but the finding is for ${ctx.region}`);
  }
  return identifier;
}

const BACKUP_RETENTION_KIND = 'backup-retention';

export default defineBot({
  meta: {
    name: 'rds_enable_backup',
    summary: 'Set the automated backup retention of a DB instance to at least N days (default 7)',
    description:
      'Reads the instance and, when its backup retention period (or a retention change already pending) is shorter than `days`, ' +
      'calls ModifyDBInstance with BackupRetentionPeriod = `days`. A longer retention is never lowered. ' +
      'By default the change is applied immediately, because a remediation left for the maintenance window leaves the ' +
      'instance without backups until then; note that turning backups on from 0 days causes a brief outage (I/O suspension, ' +
      'seconds to minutes) on some engines. Set `apply_immediately=false` to defer it to the maintenance window. ' +
      'Instances of a DB cluster (Aurora, Multi-AZ DB clusters) are skipped: their retention belongs to the cluster. Nothing else on the instance is changed.',
    resourceTypes: ['AWS::RDS::DBInstance'],
    remediates: { securityHub: ['RDS.11'], config: ['db-instance-backup-enabled'] },
    params,
    positional: ['days'],
    overridable: ['days', 'apply_immediately'],
    permissions: [
      {
        actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
        resources: ['arn:{partition}:rds:{region}:{account}:db:{resourceId}'],
        reason: 'read the backup retention of the DB instance and raise it',
      },
    ],
    undo: {
      [BACKUP_RETENTION_KIND]: {
        reversible: true,
        how: 'sets the backup retention back to what it was, applied immediately (back to 0 turns automated backups off, and RDS deletes the automated backups made meanwhile)',
        permissions: [
          {
            actions: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'],
            resources: ['arn:{partition}:rds:{region}:{account}:db:{resourceId}'],
            reason: 'undo: read the backup retention of the instance and set the recorded one back',
          },
        ],
      },
    },
  },
  undoers: {
    [BACKUP_RETENTION_KIND]: {
      async read(ctx) {
        const { RDSClient, DescribeDBInstancesCommand } = await sdk.rds();
        const identifier = ctx.target.slice(ctx.target.lastIndexOf(':') + 1);
        const { DBInstances } = await ctx.client(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
        const instance = DBInstances?.[0];
        // A change waiting for the maintenance window reads as made.
        return { BackupRetentionPeriod: instance?.PendingModifiedValues?.BackupRetentionPeriod ?? instance?.BackupRetentionPeriod ?? 0 };
      },
      async write(ctx, state) {
        const { RDSClient, ModifyDBInstanceCommand } = await sdk.rds();
        const { BackupRetentionPeriod } = state as { BackupRetentionPeriod: number };
        await ctx.client(RDSClient).send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: ctx.target.slice(ctx.target.lastIndexOf(':') + 1),
            BackupRetentionPeriod,
            ApplyImmediately: true,
          }),
        );
      },
    },
  },
  async run(ctx) {
    const { RDSClient, DescribeDBInstancesCommand, ModifyDBInstanceCommand } = await sdk.rds();
    const rds = ctx.client(RDSClient);
    const identifier = dbInstanceIdentifier(ctx.finding.resource.id, ctx);
    const { days, apply_immediately: applyImmediately } = ctx.params;

    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const instance = described.DBInstances?.[0];
    if (!instance) throw new Error(`rds_enable_backup: DescribeDBInstances returned no instance for ${identifier}`);

    // Aurora and Multi-AZ DB cluster members: RDS rejects the change on the instance.
    if (instance.DBClusterIdentifier) {
      return skipped(
        `${identifier} belongs to DB cluster ${instance.DBClusterIdentifier}: backup retention is set on the cluster, not on the instance`,
      );
    }

    const current = instance.BackupRetentionPeriod ?? 0;
    const pending = instance.PendingModifiedValues?.BackupRetentionPeriod;
    const changes = new ChangeSet(ctx);
    const compliantMessage =
      pending !== undefined && pending >= days && current < days
        ? `backup retention change of ${identifier} to ${pending} days is already pending (currently ${current})`
        : `backup retention of ${identifier} is ${current} days, at least ${days}`;

    if (current < days && (pending === undefined || pending < days)) {
      const target = instance.DBInstanceArn ?? `arn:${ctx.partition}:rds:${ctx.region}:${ctx.account}:db:${identifier}`;
      const when = applyImmediately ? 'now' : 'in the next maintenance window';
      await changes.apply(
        {
          action: 'rds:ModifyDBInstance',
          target,
          description: `backup retention ${current} -> ${days} days, applied ${when}${current === 0 ? ' (enabling backups: brief I/O suspension on some engines)' : ''}`,
          undo: { kind: BACKUP_RETENTION_KIND, before: { BackupRetentionPeriod: current }, after: { BackupRetentionPeriod: days } },
        },
        () =>
          rds.send(
            new ModifyDBInstanceCommand({
              DBInstanceIdentifier: identifier,
              BackupRetentionPeriod: days,
              ApplyImmediately: applyImmediately,
            }),
          ),
      );
    }
    return changes.result(`set backup retention of ${identifier} to ${days} days (was ${current})`, compliantMessage);
  },
});
