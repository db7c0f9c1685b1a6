import { mockClient } from 'aws-sdk-client-mock';
import { DescribeClustersCommand, ModifyClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import bot from '../../../bots/redshift/redshift_enable_version_upgrade';
import { botContext } from '../../support/bot-context';
import { CLUSTER_ARN, cluster, described } from './redshift.fixtures';

describe('redshift_enable_version_upgrade', () => {
  const redshift = mockClient(RedshiftClient);
  beforeEach(() => redshift.reset());
  afterAll(() => redshift.restore());

  it('turns on automatic major version upgrades, recording the undo', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ AllowVersionUpgrade: false }));
    redshift.on(ModifyClusterCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: cluster }));

    expect(redshift.commandCalls(DescribeClustersCommand)[0]!.args[0].input).toEqual({ ClusterIdentifier: 'analytics' });
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      AllowVersionUpgrade: true,
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'turned on automatic major version upgrades of Redshift cluster analytics',
      changes: [
        {
          action: 'redshift:ModifyCluster',
          target: CLUSTER_ARN,
          description: 'automatic major version upgrades off -> on (applied in the maintenance window)',
          applied: true,
          undo: { kind: 'version-upgrade', before: { AllowVersionUpgrade: false }, after: { AllowVersionUpgrade: true } },
        },
      ],
    });
  });

  it('reports already-compliant when upgrades are on and writes nothing', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ AllowVersionUpgrade: true }));
    const result = await bot.run(botContext(bot, { resource: cluster }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'automatic major version upgrades already on for analytics',
      changes: [],
    });
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    redshift.on(DescribeClustersCommand).resolves(described({ AllowVersionUpgrade: false }));
    const result = await bot.run(botContext(bot, { resource: cluster, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'redshift:ModifyCluster', applied: false })]);
    expect(redshift.commandCalls(ModifyClusterCommand)).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({ allow: 'true' }).success).toBe(false);
  });

  it('undo reads AllowVersionUpgrade and writes it back', async () => {
    const undoer = bot.undoers!['version-upgrade']!;
    const ctx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: CLUSTER_ARN,
    } as Parameters<typeof undoer.read>[0];
    redshift.on(DescribeClustersCommand).resolves(described({ AllowVersionUpgrade: true }));
    expect(await undoer.read(ctx)).toEqual({ AllowVersionUpgrade: true });
    await undoer.write(ctx, { AllowVersionUpgrade: false });
    expect(redshift.commandCalls(ModifyClusterCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      AllowVersionUpgrade: false,
    });
  });
});
