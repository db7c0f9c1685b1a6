import { ConfigError } from '../../config/errors';
import { parseConfig } from '../../config/load';

const catalog = { botNames: ['s3_enable_versioning'], destructiveBots: [], rollout: true };

const config = (organization: string, extra = '') => `securityAccount: "111111111111"
regions:
  include: [us-east-1, eu-west-1]
organization:
${organization}
bots:
  enabled: [s3_enable_versioning]
${extra}`;

function problems(text: string): string {
  try {
    parseConfig(text, 'cloudmend.yaml', catalog);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('a config that cannot roll out fails at synth with file:line, field and the fix', () => {
  it('stackset mode without an organization id or OU ids', () => {
    const message = problems(config('  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }'));
    expect(message).toMatch(/cloudmend\.yaml:5:\d+: organization\.id: roles\.deployment: stackset needs the organization id/);
    expect(message).toMatch(/cloudmend\.yaml:5:\d+: organization\.ouIds: StackSets target OU ids: map the root \(Root\)/);
  });

  it('an excluded OU the StackSet cannot carve out without its id', () => {
    const message = problems(
      config(
        '  id: o-abcdef1234\n  ouIds: { Root: r-ab12 }\n  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }\n  excludeOus: [Root/Sandbox]',
      ),
    );
    expect(message).toMatch(/cloudmend\.yaml:9:\d+: organization\.excludeOus\[0\]: to carve "Root\/Sandbox" out/);
  });

  it('the management account among the targets', () => {
    const message = problems(
      config(
        '  id: o-abcdef1234\n  managementAccount: "999999999999"\n  ouIds: { Root: r-ab12 }\n  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }\n  includeAccounts: ["999999999999"]',
      ),
    );
    expect(message).toMatch(
      /cloudmend\.yaml:10:\d+: organization\.includeAccounts\[0\]: 999999999999 is the management account, which a service-managed StackSet cannot deploy to/,
    );
  });

  it('a migration that would create the new role under the old name', () => {
    const message = problems(
      config(
        '  id: o-abcdef1234\n  ouIds: { Root: r-ab12 }\n  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }',
        'roles:\n  migration: { previousRoleName: CloudmendRemediation, phase: keep }\n',
      ),
    );
    expect(message).toMatch(
      /cloudmend\.yaml:12:\d+: roles\.migration\.previousRoleName: the StackSet would create CloudmendRemediation where Terraform already did/,
    );
  });

  it('regions of two partitions (always, not only at synth)', () => {
    const text = config(
      '  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }',
      'roles: { deployment: terraform }\n',
    ).replace('[us-east-1, eu-west-1]', '[us-east-1, cn-north-1]');
    expect(() => parseConfig(text, 'cloudmend.yaml', { ...catalog, rollout: false })).toThrow(
      /cloudmend\.yaml:3:\d+: regions\.include\[1\]: cn-north-1 is in partition aws-cn, us-east-1 in aws/,
    );
  });

  it('accepts the same organization in stackset mode once the ids are there, and terraform mode without them', () => {
    expect(() =>
      parseConfig(
        config('  id: o-abcdef1234\n  ouIds: { Root: r-ab12 }\n  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }'),
        'c.yaml',
        catalog,
      ),
    ).not.toThrow();
    expect(() =>
      parseConfig(
        config('  accounts:\n    - { id: "222222222222", name: prod, ou: Root/Prod }', 'roles: { deployment: terraform }\n'),
        'c.yaml',
        catalog,
      ),
    ).not.toThrow();
  });
});
