import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import bot from '../../../bots/rds/rds_snapshot_make_private';
import { botContext, mockedClients } from '../../support/bot-context';
import { ACCOUNT } from './rds.fixtures';

const snapshot = { type: 'AWS::RDS::DBSnapshot', id: 'orders-snap' };
const clusterSnapshot = { type: 'AWS::RDS::DBClusterSnapshot', id: 'orders-cluster-snap' };
const snapArn = `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:orders-snap`;
const clusterSnapArn = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster-snapshot:orders-cluster-snap`;
const restore = (values: string[]) => [{ AttributeName: 'restore', AttributeValues: values }];

describe('rds_snapshot_make_private', () => {
  const rds = mockClient(RDSClient);
  beforeEach(() => {
    rds.reset();
    rds.on(ModifyDBSnapshotAttributeCommand).resolves({});
    rds.on(ModifyDBClusterSnapshotAttributeCommand).resolves({});
  });
  afterAll(() => rds.restore());

  it('removes "all" from a public DB snapshot, keeping the accounts it is shared with, and records the undo', async () => {
    rds
      .on(DescribeDBSnapshotAttributesCommand)
      .resolves({ DBSnapshotAttributesResult: { DBSnapshotAttributes: restore(['all', '444455556666']) } });
    const result = await bot.run(botContext(bot, { resource: snapshot }));
    expect(rds.commandCalls(DescribeDBSnapshotAttributesCommand)[0]!.args[0].input).toEqual({ DBSnapshotIdentifier: 'orders-snap' });
    expect(rds.commandCalls(ModifyDBSnapshotAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { DBSnapshotIdentifier: 'orders-snap', AttributeName: 'restore', ValuesToRemove: ['all'] },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: 'made DB snapshot orders-snap private; still shared with account(s) 444455556666',
      changes: [
        {
          action: 'rds:ModifyDBSnapshotAttribute',
          target: snapArn,
          description:
            'restore attribute of DB snapshot orders-snap: removed "all" (public -> private); still shared with account(s) 444455556666',
          applied: true,
          undo: { kind: 'public-restore', before: { public: true }, after: { public: false } },
        },
      ],
    });
  });

  it('makes a public DB cluster snapshot private through the cluster snapshot API', async () => {
    rds
      .on(DescribeDBClusterSnapshotAttributesCommand)
      .resolves({ DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: restore(['all']) } });
    const result = await bot.run(botContext(bot, { resource: clusterSnapshot }));
    expect(rds.commandCalls(ModifyDBClusterSnapshotAttributeCommand)[0]!.args[0].input).toEqual({
      DBClusterSnapshotIdentifier: 'orders-cluster-snap',
      AttributeName: 'restore',
      ValuesToRemove: ['all'],
    });
    expect(result.changes[0]!.target).toBe(clusterSnapArn);
    expect(rds.commandCalls(ModifyDBSnapshotAttributeCommand)).toHaveLength(0);
  });

  it.each([[[]], [['444455556666']]])('reports already-compliant for restore values %p', async (values) => {
    rds.on(DescribeDBSnapshotAttributesCommand).resolves({ DBSnapshotAttributesResult: { DBSnapshotAttributes: restore(values) } });
    const result = await bot.run(botContext(bot, { resource: snapshot }));
    expect(result.status).toBe('already-compliant');
    expect(rds.commandCalls(ModifyDBSnapshotAttributeCommand)).toHaveLength(0);
  });

  it('in dry run reads and reports without writing', async () => {
    rds.on(DescribeDBSnapshotAttributesCommand).resolves({ DBSnapshotAttributesResult: { DBSnapshotAttributes: restore(['all']) } });
    const result = await bot.run(botContext(bot, { resource: snapshot, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(rds.commandCalls(ModifyDBSnapshotAttributeCommand)).toHaveLength(0);
  });

  it('accepts snapshot ARNs and rejects the wrong kind of ARN before any call', async () => {
    rds.on(DescribeDBSnapshotAttributesCommand).resolves({ DBSnapshotAttributesResult: { DBSnapshotAttributes: restore(['all']) } });
    await bot.run(botContext(bot, { resource: { ...snapshot, id: snapArn } }));
    expect(rds.commandCalls(ModifyDBSnapshotAttributeCommand)[0]!.args[0].input).toMatchObject({ DBSnapshotIdentifier: 'orders-snap' });
    rds.resetHistory();
    await expect(bot.run(botContext(bot, { resource: { ...snapshot, id: clusterSnapArn } }))).rejects.toThrow(
      'is not a DB snapshot identifier or DB snapshot ARN',
    );
    await expect(bot.run(botContext(bot, { resource: { ...snapshot, id: 'rds:orders-2026-11-30' } }))).rejects.toThrow(
      'is not a DB snapshot identifier',
    );
    expect(rds.calls()).toHaveLength(0);
  });

  it('undo reads whether the snapshot is public and makes it public again', async () => {
    const undoer = bot.undoers!['public-restore']!;
    const ctx = { client: mockedClients, partition: 'aws', account: ACCOUNT, region: 'us-east-1', target: clusterSnapArn };
    rds
      .on(DescribeDBClusterSnapshotAttributesCommand)
      .resolves({ DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: restore([]) } });
    expect(await undoer.read(ctx)).toEqual({ public: false });
    await undoer.write(ctx, { public: true });
    expect(rds.commandCalls(ModifyDBClusterSnapshotAttributeCommand)[0]!.args[0].input).toEqual({
      DBClusterSnapshotIdentifier: 'orders-cluster-snap',
      AttributeName: 'restore',
      ValuesToAdd: ['all'],
    });
    await expect(undoer.write({ ...ctx, target: 'arn:aws:rds:us-east-1:1:db:x' }, { public: true })).rejects.toThrow(
      'not an RDS snapshot ARN',
    );
  });
});
