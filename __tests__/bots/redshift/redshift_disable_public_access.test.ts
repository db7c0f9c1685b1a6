import { mockClient } from 'aws-sdk-client-mock';
import { DescribeClustersCommand, ModifyClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import bot from '../../../bots/redshift/redshift_disable_public_access';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';
import { CLUSTER_ARN, cluster, described } from './redshift.fixtures';

describe('redshift_disable_public_access', () => {
  const redshift = mockClient(RedshiftClient);
  beforeEach(() => redshift.reset());
  afterAll(() => redshift.restore());

  it('turns public access off on a publicly accessible cluster, recording the undo', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ PubliclyAccessible: true }));
    redshift.on(ModifyClusterCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: cluster }));

    expect(redshift.commandCalls(DescribeClustersCommand)[0]!.args[0].input).toEqual({ ClusterIdentifier: 'analytics' });
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      PubliclyAccessible: false,
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'turned off public access of Redshift cluster analytics',
      changes: [
        {
          action: 'redshift:ModifyCluster',
          target: CLUSTER_ARN,
          description: 'publicly accessible true -> false',
          applied: true,
          undo: { kind: 'public-access', before: { PubliclyAccessible: true }, after: { PubliclyAccessible: false } },
        },
      ],
    });
  });

  it('reports already-compliant for a private cluster and writes nothing', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ PubliclyAccessible: false }));
    const result = await bot.run(botContext(bot, { resource: cluster }));
    expect(result).toEqual({ status: 'already-compliant', message: 'analytics is not publicly accessible', changes: [] });
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  it('does not modify again when the change to private is already pending', async () => {
    redshift
      .on(DescribeClustersCommand)
      .resolves(described({ PubliclyAccessible: true, PendingModifiedValues: { PubliclyAccessible: false } }));
    const result = await bot.run(botContext(bot, { resource: cluster }));
    expect(result.status).toBe('already-compliant');
    expect(result.message).toBe('turning off public access of analytics is already pending');
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  it('accepts the cluster ARN as the resource id and rejects one of another region or type before any call', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ PubliclyAccessible: true }));
    await bot.run(botContext(bot, { resource: { ...cluster, id: CLUSTER_ARN } }));
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toMatchObject({ ClusterIdentifier: 'analytics' });

    redshift.reset();
    await expect(
      bot.run(botContext(bot, { resource: { ...cluster, id: 'arn:aws:redshift:eu-west-1:222222222222:cluster:analytics' } })),
    ).rejects.toThrow('is in eu-west-1, but the finding is for us-east-1');
    await expect(
      bot.run(botContext(bot, { resource: { ...cluster, id: 'arn:aws:redshift:us-east-1:222222222222:snapshot:analytics/s1' } })),
    ).rejects.toThrow('is not a Redshift cluster identifier or cluster ARN');
    expect(redshift.calls()).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ PubliclyAccessible: true }));
    const result = await bot.run(botContext(bot, { resource: cluster, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'redshift:ModifyCluster', target: CLUSTER_ARN, applied: false })]);
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  it('passes on what Redshift refuses (a cluster that is not available) with nothing recorded as changed', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ PubliclyAccessible: true, ClusterStatus: 'modifying' }));
    redshift.on(ModifyClusterCommand).rejects(awsError('InvalidClusterState', 'The cluster is not in the available state', 400));
    await expect(bot.run(botContext(bot, { resource: cluster }))).rejects.toThrow('The cluster is not in the available state');
  });

  it('fails when the cluster does not exist', async () => {
    redshift.on(DescribeClustersCommand).rejects(awsError('ClusterNotFound', 'Cluster analytics not found.', 404));
    await expect(bot.run(botContext(bot, { resource: cluster }))).rejects.toThrow('Cluster analytics not found.');
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  describe('undo', () => {
    const undoer = bot.undoers!['public-access']!;
    const undoCtx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: CLUSTER_ARN,
    } as Parameters<typeof undoer.read>[0];

    it('reads the setting in the shape the change recorded and writes the recorded value back', async () => {
      redshift.on(DescribeClustersCommand).resolves(described({ PubliclyAccessible: false }));
      expect(await undoer.read(undoCtx)).toEqual({ PubliclyAccessible: false });
      await undoer.write(undoCtx, { PubliclyAccessible: true });
      expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
        ClusterIdentifier: 'analytics',
        PubliclyAccessible: true,
      });
    });

    it('is declared reversible with the bot’s own read and write', () => {
      expect(bot.meta.undo?.['public-access']).toMatchObject({
        reversible: true,
        permissions: [{ actions: ['redshift:DescribeClusters', 'redshift:ModifyCluster'] }],
      });
    });
  });
});
