/**
 * The operating settings (alarms, and later encryption, naming, tags): bad
 * input fails when the config is read, at its file:line, saying how to fix it.
 */
import { ConfigError } from '../../config/errors';
import { parseConfig } from '../../config/load';

const catalog = { botNames: ['s3_enable_versioning'], destructiveBots: [] };

const base = (regions: string, extra: string) => `
securityAccount: "111111111111"
regions:
  include: ${regions}
organization:
  accounts:
    - { id: "222222222222", name: prod, ou: Root/Prod }
bots:
  enabled: [s3_enable_versioning]
${extra}`;

function problems(text: string): string[] {
  try {
    parseConfig(text, 'cloudmend.yaml', catalog);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.file}:${i.line}: ${i.field}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('alarms', () => {
  it('defaults to a topic per stack and a threshold of one of anything', () => {
    expect(parseConfig(base('[us-east-1]', ''), 'cloudmend.yaml', catalog).alarms).toEqual({
      dlqMessages: 1,
      lambdaErrors: 1,
      throttles: 1,
      remediationFailures: 1,
    });
  });

  it('accepts a topic ARN with {region}, or a fixed one when a single region is deployed', () => {
    const templated = 'alarms:\n  topicArn: "arn:aws:sns:{region}:999999999999:ops-alerts"';
    expect(parseConfig(base('[us-east-1, eu-west-1]', templated), 'cloudmend.yaml', catalog).alarms.topicArn).toBe(
      'arn:aws:sns:{region}:999999999999:ops-alerts',
    );
    const fixed = 'alarms:\n  topicArn: "arn:aws:sns:us-east-1:999999999999:ops-alerts"';
    expect(parseConfig(base('[us-east-1]', fixed), 'cloudmend.yaml', catalog).alarms.topicArn).toBe(
      'arn:aws:sns:us-east-1:999999999999:ops-alerts',
    );
  });

  it.each([
    ['"arn:aws:sqs:{region}:999999999999:ops"', 'is a sqs ARN, not sns; expected an ARN like arn:aws:sns:{region}:111111111111:ops-alerts'],
    ['"ops-alerts"', '"ops-alerts" is not an ARN'],
    ['"arn:aws:sns:{region}:9999:ops"', '"9999" is not a 12-digit account id'],
    ['"arn:aws:sns:{region}:999999999999:ops alerts"', '"ops alerts" is not a valid sns resource name'],
  ])('rejects the malformed topic %s at its line', (arn, message) => {
    expect(problems(base('[us-east-1]', `alarms:\n  topicArn: ${arn}`))).toEqual([
      expect.stringContaining(`cloudmend.yaml:11: alarms.topicArn: `),
    ]);
    expect(problems(base('[us-east-1]', `alarms:\n  topicArn: ${arn}`))[0]).toContain(message);
  });

  it('rejects a topic of another partition, saying which partition to use', () => {
    expect(problems(base('[us-east-1]', 'alarms:\n  topicArn: "arn:aws-cn:sns:{region}:999999999999:ops"'))).toEqual([
      'cloudmend.yaml:11: alarms.topicArn: alarms.topicArn is in partition aws-cn, the regions are in aws: use an arn:aws:... ARN',
    ]);
  });

  it('rejects a fixed region when several regions are deployed: alarms notify only their own region', () => {
    expect(problems(base('[us-east-1, eu-west-1]', 'alarms:\n  topicArn: "arn:aws:sns:us-east-1:999999999999:ops"'))).toEqual([
      'cloudmend.yaml:11: alarms.topicArn: alarms.topicArn names region us-east-1, but a handler is deployed in us-east-1, eu-west-1 and each needs its own: write {region} in place of the region',
    ]);
  });
});

describe('encryption', () => {
  it('accepts "create" or a key ARN with {region}, and nothing by default', () => {
    expect(parseConfig(base('[us-east-1]', ''), 'cloudmend.yaml', catalog).encryption).toEqual({ deletionWindowDays: 30 });
    expect(parseConfig(base('[us-east-1]', 'encryption:\n  kmsKey: create'), 'cloudmend.yaml', catalog).encryption.kmsKey).toBe('create');
    const arn = 'arn:aws:kms:{region}:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    expect(
      parseConfig(base('[us-east-1, eu-west-1]', `encryption:\n  kmsKey: "${arn}"`), 'cloudmend.yaml', catalog).encryption.kmsKey,
    ).toBe(arn);
  });

  it('rejects an alias (CloudWatch Logs takes key ARNs only) at its line', () => {
    const [problem] = problems(base('[us-east-1]', 'encryption:\n  kmsKey: "arn:aws:kms:{region}:111111111111:alias/cloudmend"'));
    expect(problem).toContain('cloudmend.yaml:11: encryption.kmsKey: ');
    expect(problem).toContain(
      '"alias/cloudmend" is not a valid kms resource name; expected an ARN like arn:aws:kms:{region}:111111111111:key/',
    );
  });

  it('rejects a key of another partition, saying which partition to use', () => {
    expect(
      problems(
        base('[us-gov-west-1]', 'encryption:\n  kmsKey: "arn:aws:kms:{region}:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"'),
      ),
    ).toEqual([
      'cloudmend.yaml:11: encryption.kmsKey: encryption.kmsKey is in partition aws, the regions are in aws-us-gov: use an arn:aws-us-gov:... ARN',
    ]);
  });
});

describe('naming and tags', () => {
  it('rejects a prefix that would break names, at its line, saying what a prefix may be', () => {
    expect(problems(base('[us-east-1]', 'naming:\n  prefix: Prod-1'))).toEqual([
      'cloudmend.yaml:11: naming.prefix: a prefix is 1-8 lowercase letters and digits starting with a letter, e.g. "prod" or "acme2"; "" for none',
    ]);
  });

  it('prefixes the default member role name, not one the operator chose', () => {
    expect(parseConfig(base('[us-east-1]', 'naming:\n  prefix: prod'), 'cloudmend.yaml', catalog).roles.memberRoleName).toBe(
      'prod-CloudmendRemediation',
    );
    expect(
      parseConfig(base('[us-east-1]', 'naming:\n  prefix: prod\nroles:\n  memberRoleName: Fixer'), 'cloudmend.yaml', catalog).roles
        .memberRoleName,
    ).toBe('Fixer');
  });

  it('rejects tag keys AWS or cloudmend reserve', () => {
    const found = problems(base('[us-east-1]', 'tags:\n  "aws:owner": x\n  "cloudmend:component": y'));
    expect(found).toEqual([
      'cloudmend.yaml:11: tags.aws:owner: tag keys starting with "aws:" are reserved by AWS: rename "aws:owner"',
      'cloudmend.yaml:12: tags.cloudmend:component: tag keys starting with "cloudmend:" are set by cloudmend itself: rename "cloudmend:component"',
    ]);
  });
});
