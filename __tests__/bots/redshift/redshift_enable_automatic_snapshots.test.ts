import { mockClient } from 'aws-sdk-client-mock';
import { DescribeClustersCommand, ModifyClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import bot from '../../../bots/redshift/redshift_enable_automatic_snapshots';
import { botContext } from '../../support/bot-context';
import { CLUSTER_ARN, cluster, described } from './redshift.fixtures';

describe('redshift_enable_automatic_snapshots', () => {
  const redshift = mockClient(RedshiftClient);
  beforeEach(() => redshift.reset());
  afterAll(() => redshift.restore());

  it('turns automated snapshots on for 7 days by default, recording the undo', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ AutomatedSnapshotRetentionPeriod: 0 }));
    redshift.on(ModifyClusterCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: cluster }));

    expect(redshift.commandCalls(DescribeClustersCommand)[0]!.args[0].input).toEqual({ ClusterIdentifier: 'analytics' });
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      AutomatedSnapshotRetentionPeriod: 7,
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'set automated snapshot retention of Redshift cluster analytics to 7 days (was 0)',
      changes: [
        {
          action: 'redshift:ModifyCluster',
          target: CLUSTER_ARN,
          description: 'automated snapshot retention 0 -> 7 days (automated snapshots were off)',
          applied: true,
          undo: {
            kind: 'snapshot-retention',
            before: { AutomatedSnapshotRetentionPeriod: 0 },
            after: { AutomatedSnapshotRetentionPeriod: 7 },
          },
        },
      ],
    });
  });

  it('raises a shorter retention to the requested days', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ AutomatedSnapshotRetentionPeriod: 1 }));
    const result = await bot.run(botContext(bot, { resource: cluster, params: { days: '14' } }));
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      AutomatedSnapshotRetentionPeriod: 14,
    });
    expect(result.changes[0]!.description).toBe('automated snapshot retention 1 -> 14 days');
  });

  it.each([
    [7, 7],
    [30, 14],
  ])('never lowers a retention of %i days (asked for %i)', async (current, days) => {
    redshift.on(DescribeClustersCommand).resolves(described({ AutomatedSnapshotRetentionPeriod: current }));
    const result = await bot.run(botContext(bot, { resource: cluster, params: { days } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `automated snapshot retention of analytics is ${current} days, at least ${days}`,
      changes: [],
    });
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  it('does not modify again when a long enough retention is already pending, but overrides a pending one too short', async () => {
    redshift
      .on(DescribeClustersCommand)
      .resolves(described({ AutomatedSnapshotRetentionPeriod: 1, PendingModifiedValues: { AutomatedSnapshotRetentionPeriod: 10 } }));
    const pending = await bot.run(botContext(bot, { resource: cluster }));
    expect(pending.status).toBe('already-compliant');
    expect(pending.message).toBe('automated snapshot retention change of analytics to 10 days is already pending (currently 1)');

    redshift
      .on(DescribeClustersCommand)
      .resolves(described({ AutomatedSnapshotRetentionPeriod: 1, PendingModifiedValues: { AutomatedSnapshotRetentionPeriod: 2 } }));
    expect((await bot.run(botContext(bot, { resource: cluster }))).status).toBe('remediated');
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(1);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ AutomatedSnapshotRetentionPeriod: 0 }));
    const result = await bot.run(botContext(bot, { resource: cluster, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'redshift:ModifyCluster', applied: false })]);
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);

    it('defaults to 7 days; `AUTO: redshift_enable_automatic_snapshots 14` fills days', () => {
      expect(parse({})).toEqual({ success: true, data: { days: 7 } });
      expect(bot.meta.positional).toEqual(['days']);
      expect(parse({ days: '14' }).data).toEqual({ days: 14 });
    });

    it.each([['0'], ['36'], ['2.5'], ['week'], [-1]])('rejects days=%p', (days) => {
      expect(parse({ days }).success).toBe(false);
    });

    it('rejects unknown params', () => {
      expect(parse({ retention: 7 }).success).toBe(false);
    });
  });

  it('undo reads the retention and writes the recorded one back', async () => {
    const undoer = bot.undoers!['snapshot-retention']!;
    const ctx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: CLUSTER_ARN,
    } as Parameters<typeof undoer.read>[0];
    redshift.on(DescribeClustersCommand).resolves(described({ AutomatedSnapshotRetentionPeriod: 7 }));
    expect(await undoer.read(ctx)).toEqual({ AutomatedSnapshotRetentionPeriod: 7 });
    await undoer.write(ctx, { AutomatedSnapshotRetentionPeriod: 1 });
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      AutomatedSnapshotRetentionPeriod: 1,
    });
  });
});
