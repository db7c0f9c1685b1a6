import { RuntimeConfig } from '../../config/runtime';
import { RuntimeConfigBuildError } from '../../stacks/errors';
import { buildRuntimeConfig, resolveEnabledBots, runtimeConfigDigest } from '../../stacks/runtime-config';
import { fixtureConfig } from './fixtures/deployment';

const scoped = {
  accounts: [
    { id: '333333333333', name: 'b', ouPath: 'Root/B', ouIds: [], status: 'ACTIVE' as const },
    { id: '111111111111', name: 'a', ouPath: 'Root/A', ouIds: [], status: 'ACTIVE' as const },
  ],
  regions: ['us-east-1', 'eu-west-1'],
};

describe('buildRuntimeConfig', () => {
  it('carries what the handler enforces: mode, bots, opt-ins, mappings, accounts with OU paths, regions', () => {
    const runtime = buildRuntimeConfig(fixtureConfig(), scoped, ['rds_enable_backup', 's3_enable_versioning', 'sg_delete', 'other_bot']);
    expect(RuntimeConfig.parse(runtime)).toEqual(runtime);
    expect(runtime).toMatchObject({
      version: 1,
      mode: 'dry-run',
      securityAccount: '111111111111',
      enabledBots: ['rds_enable_backup', 's3_enable_versioning', 'sg_delete'],
      optIn: ['sg_delete'],
      params: { rds_enable_backup: { days: 7 } },
      mappings: { config: { 'db-instance-backup-enabled': ['rds_enable_backup days=14'] } },
      memberRoleName: 'CloudmendRemediation',
      externalId: 'cloudmend-test',
      accounts: { '111111111111': 'Root/A', '333333333333': 'Root/B' },
      regions: ['eu-west-1', 'us-east-1'],
    });
  });

  it('resolves "all" to the catalog, and refuses names the catalog lacks', () => {
    expect(resolveEnabledBots(fixtureConfig({ bots: { enabled: 'all', optIn: [], params: {} } }), ['b', 'a'])).toEqual(['a', 'b']);
    expect(() => resolveEnabledBots(fixtureConfig(), ['s3_enable_versioning'])).toThrow(
      new RuntimeConfigBuildError('bots.enabled names unknown bots: sg_delete, rds_enable_backup'),
    );
  });

  it('has a digest that changes with the config and not with input order', () => {
    const names = ['rds_enable_backup', 's3_enable_versioning', 'sg_delete'];
    const a = runtimeConfigDigest(buildRuntimeConfig(fixtureConfig(), scoped, names));
    const b = runtimeConfigDigest(
      buildRuntimeConfig(fixtureConfig(), { accounts: [...scoped.accounts].reverse(), regions: [...scoped.regions].reverse() }, names),
    );
    const c = runtimeConfigDigest(buildRuntimeConfig(fixtureConfig({ mode: 'enforce' }), scoped, names));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});
