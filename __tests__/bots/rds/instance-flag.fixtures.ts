/**
 * The behaviours every one-flag RDS instance bot shares (bots/rds/instance-flag.ts),
 * run by each such bot's own test file with its flag and wanted value.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient, type DBInstance } from '@aws-sdk/client-rds';
import type { Bot } from '../../../bots/types';
import type { FlagName } from '../../../bots/rds/db';
import { botContext, mockedClients } from '../../support/bot-context';
import { db, dbArn, instance } from './rds.fixtures';

export interface FlagSuite {
  flag: FlagName;
  wanted: boolean;
  kind: string;
  /** ApplyImmediately the bot sends by default. */
  applyImmediately: boolean;
  /** Whether a DB cluster member is skipped. */
  skipsClusterMembers: boolean;
  description: RegExp;
}

export function instanceFlagSuite(bot: Bot, spec: FlagSuite): void {
  const { flag, wanted, kind } = spec;
  const rds = mockClient(RDSClient);
  beforeEach(() => rds.reset());
  afterAll(() => rds.restore());
  const wrong = (extra: Partial<DBInstance> = {}) => instance({ [flag]: !wanted, ...extra });

  it(`sets ${flag} to ${wanted} with the exact ModifyDBInstance input and records the undo`, async () => {
    rds.on(DescribeDBInstancesCommand).resolves(wrong());
    rds.on(ModifyDBInstanceCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'orders' });
    expect(rds.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input)).toEqual([
      { DBInstanceIdentifier: 'orders', [flag]: wanted, ApplyImmediately: spec.applyImmediately },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      {
        action: 'rds:ModifyDBInstance',
        target: dbArn,
        description: expect.stringMatching(spec.description),
        applied: true,
        undo: { kind, before: { [flag]: !wanted }, after: { [flag]: wanted } },
      },
    ]);
  });

  it(`reports already-compliant when ${flag} is already ${wanted}, and writes nothing`, async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ [flag]: wanted }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('already-compliant');
    expect(result.message).toMatch(/of orders is already /);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write with its undo, and does not make it', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(wrong());
    const result = await bot.run(botContext(bot, { resource: db, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'rds:ModifyDBInstance', target: dbArn, applied: false, undo: expect.objectContaining({ kind }) }),
    ]);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it.each([['stopped'], ['deleting']])('skips a %s instance, which RDS does not modify', async (status) => {
    rds.on(DescribeDBInstancesCommand).resolves(wrong({ DBInstanceStatus: status }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain(`orders is ${status}`);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it(spec.skipsClusterMembers ? 'skips an instance of a DB cluster' : 'acts on an instance of a DB cluster too', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(wrong({ DBClusterIdentifier: 'orders-cluster', Engine: 'aurora-postgresql' }));
    const result = await bot.run(botContext(bot, { resource: db }));
    if (spec.skipsClusterMembers) {
      expect(result.status).toBe('skipped');
      expect(result.message).toMatch(/^orders belongs to DB cluster orders-cluster: /);
      expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
    } else {
      expect(result.status).toBe('remediated');
      expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(1);
    }
  });

  it('accepts the instance ARN as the resource id, and rejects one of another region or type before any call', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(wrong());
    await bot.run(botContext(bot, { resource: { ...db, id: dbArn } }));
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toMatchObject({ DBInstanceIdentifier: 'orders' });
    rds.resetHistory();
    await expect(bot.run(botContext(bot, { resource: { ...db, id: 'arn:aws:rds:eu-west-1:222222222222:db:orders' } }))).rejects.toThrow(
      'is in eu-west-1, but the finding is for us-east-1',
    );
    await expect(
      bot.run(botContext(bot, { resource: { ...db, id: 'arn:aws:rds:us-east-1:222222222222:cluster:orders' } })),
    ).rejects.toThrow('is not a DB instance identifier or DB instance ARN');
    await expect(bot.run(botContext(bot, { resource: { ...db, id: 'orders*' } }))).rejects.toThrow('is not a DB instance identifier');
    expect(rds.calls()).toHaveLength(0);
  });

  it('passes an RDS error through', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .rejects(Object.assign(new Error('DBInstance orders not found'), { name: 'DBInstanceNotFoundFault' }));
    await expect(bot.run(botContext(bot, { resource: db }))).rejects.toThrow('DBInstance orders not found');
  });

  it(`declares ${kind} reversible; its undoer reads the flag and writes the recorded value back`, async () => {
    expect(bot.meta.undo?.[kind]).toMatchObject({ reversible: true });
    const undoer = bot.undoers![kind]!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: dbArn };
    rds.on(DescribeDBInstancesCommand).resolves(instance({ [flag]: wanted }));
    rds.on(ModifyDBInstanceCommand).resolves({});
    expect(await undoer.read(ctx)).toEqual({ [flag]: wanted });
    await undoer.write(ctx, { [flag]: !wanted });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      [flag]: !wanted,
      ApplyImmediately: false,
    });
    await expect(undoer.write(ctx, { other: true })).rejects.toThrow('holds no boolean');
  });

  it('takes no params but those it declares', () => {
    expect(bot.meta.params.safeParse({ unknown: 1 }).success).toBe(false);
  });
}
