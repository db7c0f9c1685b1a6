import { join } from 'node:path';
import { ConfigError } from '../../config/errors';
import { loadConfig, parseConfig } from '../../config/load';

const catalog = {
  botNames: ['s3_block_all_public_access', 's3_enable_versioning', 'ec2_stop_instance', 'ec2_terminate_instance'],
  destructiveBots: ['ec2_terminate_instance'],
};

const valid = `
securityAccount: "111111111111"
regions:
  include: [us-east-1, eu-west-1]
organization:
  accounts:
    - { id: "222222222222", name: prod, ou: Root/Prod }
    - { id: "333333333333", name: dev, ou: Root/Dev }
bots:
  enabled: [s3_block_all_public_access, ec2_terminate_instance]
  optIn: [ec2_terminate_instance]
`;

/** Parses `text` and returns the ConfigError it must raise. */
function problems(text: string): ConfigError {
  try {
    parseConfig(text, 'cloudmend.yaml', catalog);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('loads the embedded example with the shipped catalog', () => {
    const config = loadConfig(join(__dirname, '../../config/example.yaml'));
    expect(config.securityAccount).toBe('111111111111');
    expect(config.mode).toBe('dry-run');
    expect(config.organization.accounts).toHaveLength(7);
    expect(config.organization.excludeOus).toEqual(['Root/Sandbox']);
    expect(config.regions.include).toEqual(['us-east-1', 'us-east-2', 'eu-west-1']);
  });

  it('fills defaults for everything optional', () => {
    const config = parseConfig(valid, 'cloudmend.yaml', catalog);
    expect(config.mode).toBe('dry-run');
    expect(config.roles).toEqual({
      memberRoleName: 'CloudmendRemediation',
      bootstrapRoleName: 'OrganizationAccountAccessRole',
      externalId: 'cloudmend',
      deployment: 'stackset',
      stackSet: { targetOus: [] },
      forwardFindings: false,
    });
    expect(config.backend).toEqual({ type: 'local', directory: 'terraform-state' });
    expect(config.exclusionTag).toEqual({ key: 'cloudmend:exclude' });
    expect(config.sharding.accountsPerStack).toBe(40);
  });

  it('reports a missing file with the way to pass another', () => {
    expect(() => loadConfig('/nonexistent/cloudmend.yaml')).toThrow(/cannot read the config: file not found.*CLOUDMEND_CONFIG/);
  });
});

describe('config errors name file, line, column, field and the fix', () => {
  it('a wrong type', () => {
    const error = problems(valid.replace('securityAccount: "111111111111"', 'securityAccount: "111111111111"\nmode: 5'));
    expect(error.issues).toEqual([expect.objectContaining({ file: 'cloudmend.yaml', line: 3, column: 7, field: 'mode' })]);
    expect(error.message).toContain('cloudmend.yaml:3:7: mode: got number 5; allowed values: "enforce", "dry-run"');
  });

  it('an unknown key, with the closest allowed key', () => {
    const error = problems(valid.replace('  optIn:', '  optin:'));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ line: 11, column: 3, field: 'bots.optin' });
    expect(error.issues[0]!.message).toBe('unknown key "optin". Did you mean "optIn"? Allowed here: enabled, optIn, params');
  });

  it('an unknown top-level key', () => {
    const error = problems(`${valid}regoins: [us-east-1]\n`);
    expect(error.issues[0]).toMatchObject({ field: 'regoins', line: 12, column: 1 });
    expect(error.issues[0]!.message).toContain('Did you mean "regions"?');
  });

  it('a malformed account id', () => {
    const error = problems(valid.replace('"333333333333"', '"33333333"'));
    expect(error.issues[0]).toMatchObject({ field: 'organization.accounts[1].id', line: 8, column: 13 });
    expect(error.issues[0]!.message).toMatch(/exactly 12 digits; quote it/);
  });

  it('an unquoted account id that lost its leading zero', () => {
    const error = problems(valid.replace('securityAccount: "111111111111"', 'securityAccount: 012345678901'));
    expect(error.issues[0]).toMatchObject({ field: 'securityAccount', line: 2 });
    expect(error.issues[0]!.message).toMatch(/quote it/);
  });

  it('accepts an unquoted 12-digit account id', () => {
    expect(parseConfig(valid.replace('"111111111111"', '111111111111'), 'c.yaml', catalog).securityAccount).toBe('111111111111');
  });

  it('an unknown region', () => {
    const error = problems(valid.replace('[us-east-1, eu-west-1]', '[us-east-1, eu-wset-1]'));
    expect(error.issues[0]).toMatchObject({ field: 'regions.include[1]', line: 4, column: 24 });
    expect(error.issues[0]!.message).toContain('unknown region "eu-wset-1"');
  });

  it('an unknown bot name, with the closest known bot', () => {
    const error = problems(valid.replace('[s3_block_all_public_access,', '[s3_block_public_access,'));
    expect(error.issues[0]).toMatchObject({ field: 'bots.enabled[0]', line: 10, column: 13 });
    expect(error.issues[0]!.message).toBe(
      'unknown bot "s3_block_public_access". Did you mean "s3_block_all_public_access"? See docs/bots.md for the catalog.',
    );
  });

  it('a duplicate account', () => {
    const error = problems(valid.replace('"333333333333", name: dev', '"222222222222", name: dev'));
    expect(error.issues[0]).toMatchObject({ field: 'organization.accounts[1].id', line: 8 });
    expect(error.issues[0]!.message).toBe('account 222222222222 is listed twice (first at accounts[0]); list each account once');
  });

  it('a missing required field', () => {
    const error = problems(valid.replace('securityAccount: "111111111111"\n', ''));
    expect(error.issues[0]).toMatchObject({ field: 'securityAccount' });
    expect(error.issues[0]!.message).toMatch(/^required, but missing: add it/);
  });

  it('a YAML syntax error', () => {
    const error = problems(valid.replace('include: [us-east-1, eu-west-1]', 'include: [us-east-1, eu-west-1'));
    expect(error.issues[0]!.line).toBeGreaterThanOrEqual(4);
    expect(error.issues[0]!.message).toMatch(/^YAML syntax: /);
  });

  it('a key given twice', () => {
    const error = problems(`${valid}securityAccount: "222222222222"\n`);
    expect(error.issues[0]!.message).toMatch(/YAML syntax: Map keys must be unique/);
  });

  it('a destructive bot opted in but not enabled, and an opt-in that needs none', () => {
    const error = problems(
      valid
        .replace('optIn: [ec2_terminate_instance]', 'optIn: [ec2_terminate_instance, ec2_stop_instance]')
        .replace(', ec2_terminate_instance]\n', ']\n'),
    );
    expect(error.issues.map((i) => i.message)).toEqual([
      'ec2_terminate_instance is opted in but not enabled: add it to bots.enabled too',
      'ec2_stop_instance is not destructive and needs no opt-in: remove it from bots.optIn',
    ]);
  });

  it('a mapping to a bot that is not enabled', () => {
    const error = problems(`${valid}mappings:\n  securityHub:\n    S3.8: [s3_enable_versioning]\n`);
    expect(error.issues[0]).toMatchObject({ field: 'mappings.securityHub.S3.8[0]', line: 14 });
    expect(error.issues[0]!.message).toBe('s3_enable_versioning is mapped but not enabled: add it to bots.enabled, or remove the mapping');
  });

  it('every problem at once, in file order', () => {
    const error = problems(valid.replace('"111111111111"', '"1"').replace('eu-west-1]', 'mars-1]').replace('  optIn:', '  optin:'));
    expect(error.issues.map((i) => i.field)).toEqual(['securityAccount', 'regions.include[1]', 'bots.optin']);
    expect(error.message.split('\n')[0]).toBe('3 problems in the cloudmend config:');
  });

  it('s3 backend requires a bucket and region', () => {
    const error = problems(`${valid}backend:\n  type: s3\n  bucket: tf-state\n`);
    expect(error.issues[0]).toMatchObject({ field: 'backend.region' });
  });
});
