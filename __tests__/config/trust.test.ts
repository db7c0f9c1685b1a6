/** The `trust` allow-lists: ARNs only, of the partition cloudmend runs in, shipped to the handler sorted. */
import { ConfigError } from '../../config/errors';
import { parseConfig } from '../../config/load';
import { RuntimeConfigBuildError } from '../../stacks/errors';
import { buildRuntimeConfig } from '../../stacks/runtime-config';

const catalog = { botNames: ['vpc_turn_on_flow_logs', 's3_enable_encryption'], destructiveBots: [] };

function configText(trust: string, regions = '[eu-west-1]'): string {
  return `
securityAccount: "111111111111"
regions:
  include: ${regions}
organization:
  accounts:
    - { id: "222222222222", name: prod, ou: Root/Prod }
bots:
  enabled: [vpc_turn_on_flow_logs]
trust:
${trust}
`;
}

function issuesOf(text: string) {
  try {
    parseConfig(text, 'cloudmend.yaml', catalog);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('trust in cloudmend.yaml', () => {
  it('defaults to empty lists', () => {
    const config = parseConfig(configText('  {}'), 'cloudmend.yaml', catalog);
    expect(config.trust).toEqual({ allowedDestinations: [], allowedKmsKeys: [] });
  });

  it('names the line and field of an entry that is not an ARN of the right kind', () => {
    const issues = issuesOf(configText('  allowedDestinations: [org-archive]\n  allowedKmsKeys: ["arn:aws:s3:::bucket"]'));
    expect(issues).toEqual([
      expect.objectContaining({ field: 'trust.allowedDestinations[0]', line: 11, message: expect.stringContaining('a destination ARN') }),
      expect.objectContaining({ field: 'trust.allowedKmsKeys[0]', line: 12, message: expect.stringContaining('a KMS key or alias ARN') }),
    ]);
  });

  it('refuses an ARN of another partition than the regions', () => {
    const issues = issuesOf(configText('  allowedDestinations: ["arn:aws-cn:s3:::archive"]'));
    expect(issues).toEqual([
      expect.objectContaining({
        field: 'trust.allowedDestinations[0]',
        message:
          'arn:aws-cn:s3:::archive is in partition aws-cn, but cloudmend runs in aws (regions.include: eu-west-1); list ARNs of that partition only',
      }),
    ]);
  });

  it('ships the lists to the handler, sorted, and refuses a partition the discovered regions are not in', () => {
    const text = configText('  allowedDestinations: ["arn:aws:s3:::b-archive", "arn:aws:s3:::a-archive/flow/"]', 'all-enabled');
    const config = parseConfig(text, 'cloudmend.yaml', catalog);
    const inventory = {
      accounts: [{ id: '222222222222', name: 'prod', ouPath: 'Root/Prod', ouIds: [], status: 'ACTIVE' }],
      regions: ['eu-west-1'],
    };
    const runtime = buildRuntimeConfig(config, inventory as never, catalog.botNames);
    expect(runtime.trust).toEqual({ allowedDestinations: ['arn:aws:s3:::a-archive/flow/', 'arn:aws:s3:::b-archive'], allowedKmsKeys: [] });
    expect(() => buildRuntimeConfig(config, { ...inventory, regions: ['cn-north-1'] } as never, catalog.botNames)).toThrow(
      new RuntimeConfigBuildError('trust.allowedDestinations: arn:aws:s3:::b-archive is not in partition aws-cn, where cloudmend runs'),
    );
  });
});
