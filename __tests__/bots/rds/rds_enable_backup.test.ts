import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_enable_backup';
import { botContext } from '../../support/bot-context';

const db = { type: 'AWS::RDS::DBInstance', id: 'orders' };
const dbArn = 'arn:aws:rds:us-east-1:222222222222:db:orders';

function instance(overrides: Record<string, unknown> = {}) {
  return { DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceArn: dbArn, Engine: 'postgres', ...overrides }] };
}

describe('rds_enable_backup', () => {
  const rds = mockClient(RDSClient);
  beforeEach(() => rds.reset());
  afterAll(() => rds.restore());

  it('turns on backups of an instance without any, for 7 days by default, applied immediately', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ BackupRetentionPeriod: 0 }));
    rds.on(ModifyDBInstanceCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: db }));

    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'orders' });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      BackupRetentionPeriod: 7,
      ApplyImmediately: true,
    });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      {
        action: 'rds:ModifyDBInstance',
        target: dbArn,
        description: expect.stringMatching(/^backup retention 0 -> 7 days, applied now \(enabling backups: brief I\/O suspension/),
        applied: true,
        undo: { kind: 'backup-retention', before: { BackupRetentionPeriod: 0 }, after: { BackupRetentionPeriod: 7 } },
      },
    ]);
  });

  it('raises a shorter retention to the requested days and can defer to the maintenance window', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ BackupRetentionPeriod: 3 }));
    const result = await bot.run(botContext(bot, { resource: db, params: { days: '14', apply_immediately: 'false' } }));
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      BackupRetentionPeriod: 14,
      ApplyImmediately: false,
    });
    expect(result.changes[0]!.description).toBe('backup retention 3 -> 14 days, applied in the next maintenance window');
  });

  it('never lowers a longer retention', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ BackupRetentionPeriod: 30 }));
    const result = await bot.run(botContext(bot, { resource: db, params: { days: 14 } }));
    expect(result).toEqual({ status: 'already-compliant', message: 'backup retention of orders is 30 days, at least 14', changes: [] });
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('treats a retention equal to the requested days as compliant', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ BackupRetentionPeriod: 7 }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('already-compliant');
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('does not modify again when a long enough retention is already pending for the maintenance window', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolves(instance({ BackupRetentionPeriod: 0, PendingModifiedValues: { BackupRetentionPeriod: 7 } }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('already-compliant');
    expect(result.message).toBe('backup retention change of orders to 7 days is already pending (currently 0)');
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('overrides a pending retention that is still too short', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolves(instance({ BackupRetentionPeriod: 0, PendingModifiedValues: { BackupRetentionPeriod: 1 } }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('remediated');
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(1);
  });

  it.each([['aurora-postgresql'], ['postgres']])(
    'skips a %s instance of a DB cluster, whose retention belongs to the cluster',
    async (engine) => {
      rds
        .on(DescribeDBInstancesCommand)
        .resolves(instance({ Engine: engine, DBClusterIdentifier: 'orders-cluster', BackupRetentionPeriod: 1 }));
      const result = await bot.run(botContext(bot, { resource: db }));
      expect(result).toEqual({
        status: 'skipped',
        message: 'orders belongs to DB cluster orders-cluster: backup retention is set on the cluster, not on the instance',
        changes: [],
      });
      expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
    },
  );

  it('accepts the instance ARN as the resource id', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ BackupRetentionPeriod: 0 }));
    await bot.run(botContext(bot, { resource: { ...db, id: dbArn } }));
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'orders' });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toMatchObject({ DBInstanceIdentifier: 'orders' });
  });

  it('rejects an ARN of another region or another resource type, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { ...db, id: 'arn:aws:rds:eu-west-1:222222222222:db:orders' } }))).rejects.toThrow(
      'DB instance arn:aws:rds:eu-west-1:222222222222:db:orders is in eu-west-1, but the finding is for us-east-1',
    );
    await expect(
      bot.run(botContext(bot, { resource: { ...db, id: 'arn:aws:rds:us-east-1:222222222222:cluster:orders' } })),
    ).rejects.toThrow('is not a DB instance identifier or DB instance ARN');
    expect(rds.calls()).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ BackupRetentionPeriod: 1 }));
    const result = await bot.run(botContext(bot, { resource: db, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'rds:ModifyDBInstance', target: dbArn, applied: false })]);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);

    it('defaults to 7 days applied immediately', () => {
      expect(parse({})).toEqual({ success: true, data: { days: 7, apply_immediately: true } });
    });

    it('reads the CloudBots string forms (`AUTO: rds_enable_backup 14` fills days positionally)', () => {
      expect(bot.meta.positional).toEqual(['days']);
      expect(parse({ days: '14', apply_immediately: 'false' }).data).toEqual({ days: 14, apply_immediately: false });
      expect(parse({ days: 35, apply_immediately: false }).data).toEqual({ days: 35, apply_immediately: false });
    });

    it.each([['0'], ['36'], ['7.5'], ['seven'], [-1]])('rejects days=%p', (days) => {
      expect(parse({ days }).success).toBe(false);
    });

    it('rejects unknown params and non-boolean apply_immediately', () => {
      expect(parse({ retention: 7 }).success).toBe(false);
      expect(parse({ apply_immediately: 'maybe' }).success).toBe(false);
    });
  });
});
