/** The DB cluster flag bots, one definition (bots/rds/cluster-flag.ts): each specified over its own flag. */
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBClustersCommand, ModifyDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import copyTagsToSnapshot from '../../../bots/rds/rds_cluster_enable_copy_tags_to_snapshot';
import deletionProtection from '../../../bots/rds/rds_cluster_enable_deletion_protection';
import { botContext, mockedClients } from '../../support/bot-context';
import { ACCOUNT } from './rds.fixtures';

const FLAGS = [
  {
    bot: deletionProtection,
    attribute: 'DeletionProtection',
    kind: 'deletion-protection',
    turnsOn: 'turns deletion protection on',
    label: 'deletion protection',
    message: 'turned on deletion protection of DB cluster orders-cluster',
  },
  {
    bot: copyTagsToSnapshot,
    attribute: 'CopyTagsToSnapshot',
    kind: 'copy-tags-to-snapshot',
    turnsOn: 'turns copying tags to snapshots on',
    label: 'copy tags to snapshots',
    message: 'DB cluster orders-cluster now copies its tags to snapshots',
  },
] as const;

const resource = { type: 'AWS::RDS::DBCluster', id: 'orders-cluster' };
const clusterArn = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-cluster`;

describe.each(FLAGS)('$bot.meta.name', ({ bot, attribute, kind, turnsOn, label, message }) => {
  const cluster = (extra = {}) => ({
    DBClusters: [{ DBClusterIdentifier: 'orders-cluster', DBClusterArn: clusterArn, Status: 'available', [attribute]: false, ...extra }],
  });
  const rds = mockClient(RDSClient);
  beforeEach(() => {
    rds.reset();
    rds.on(ModifyDBClusterCommand).resolves({});
  });
  afterAll(() => rds.restore());

  it(`${turnsOn} with the exact input, recording the undo`, async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster());
    const result = await bot.run(botContext(bot, { resource }));
    expect(rds.commandCalls(DescribeDBClustersCommand)[0]!.args[0].input).toEqual({ DBClusterIdentifier: 'orders-cluster' });
    expect(rds.commandCalls(ModifyDBClusterCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterIdentifier: 'orders-cluster', [attribute]: true, ApplyImmediately: false },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message,
      changes: [
        {
          action: 'rds:ModifyDBCluster',
          target: clusterArn,
          description: `${label} false -> true`,
          applied: true,
          undo: { kind, before: { [attribute]: false }, after: { [attribute]: true } },
        },
      ],
    });
  });

  it('reports already-compliant when it is on', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster({ [attribute]: true }));
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('already-compliant');
    expect(rds.commandCalls(ModifyDBClusterCommand)).toHaveLength(0);
  });

  it('in dry run reads and reports without writing; skips a stopped cluster', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster());
    const dry = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect(dry.changes[0]!.applied).toBe(false);
    rds.on(DescribeDBClustersCommand).resolves(cluster({ Status: 'stopped' }));
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('skipped');
    expect(rds.commandCalls(ModifyDBClusterCommand)).toHaveLength(0);
  });

  it('accepts the cluster ARN, and rejects an instance ARN or another region before any call', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster());
    await bot.run(botContext(bot, { resource: { ...resource, id: clusterArn } }));
    expect(rds.commandCalls(ModifyDBClusterCommand)[0]!.args[0].input).toMatchObject({ DBClusterIdentifier: 'orders-cluster' });
    rds.resetHistory();
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders` } }))).rejects.toThrow(
      'is not a DB cluster identifier or DB cluster ARN',
    );
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:c` } }))).rejects.toThrow(
      'is in eu-west-1, but the finding is for us-east-1',
    );
    expect(rds.calls()).toHaveLength(0);
  });

  it('undo reads the flag and writes the recorded one', async () => {
    const undoer = bot.undoers![kind]!;
    const ctx = { client: mockedClients, partition: 'aws', account: ACCOUNT, region: 'us-east-1', target: clusterArn };
    rds.on(DescribeDBClustersCommand).resolves(cluster({ [attribute]: true }));
    expect(await undoer.read(ctx)).toEqual({ [attribute]: true });
    await undoer.write(ctx, { [attribute]: false });
    expect(rds.commandCalls(ModifyDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: 'orders-cluster',
      [attribute]: false,
      ApplyImmediately: false,
    });
    await expect(undoer.write(ctx, {})).rejects.toThrow('no boolean');
  });
});
