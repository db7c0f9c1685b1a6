import { checkSensitiveParams, paramArn } from '../../bots/param-trust';

const scope = { partition: 'aws', account: '222222222222', region: 'eu-west-1' };
const none = { allowedDestinations: [], allowedKmsKeys: [] };
const flowLogs = { name: 'vpc_turn_on_flow_logs', sensitiveParams: { s3_arn: 'destination' as const } };
const encryption = { name: 's3_enable_encryption', sensitiveParams: { kms_key_arn: 'key' as const } };
const ebs = { name: 'ebs_enable_encryption_by_default', sensitiveParams: { kms_key_id: 'key' as const } };
const logging = { name: 's3_enable_logging', sensitiveParams: { target_bucket: 'own-destination' as const } };

describe('paramArn', () => {
  it('reads a bare KMS key id or alias as KMS resolves it: in the caller’s account and region', () => {
    expect(paramArn('key', '1234abcd-12ab-34cd-56ef-1234567890ab', scope)).toBe(
      'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(paramArn('key', 'alias/ebs', scope)).toBe('arn:aws:kms:eu-west-1:222222222222:alias/ebs');
  });

  it('reads a bucket name as its bucket ARN, and keeps ARNs as they are', () => {
    expect(paramArn('own-destination', 'my-logs', scope)).toBe('arn:aws:s3:::my-logs');
    expect(paramArn('destination', 'arn:aws:s3:::archive/flow/', scope)).toBe('arn:aws:s3:::archive/flow/');
  });
});

describe('checkSensitiveParams', () => {
  it('accepts a KMS key of the finding’s account, by ARN or bare id', () => {
    expect(checkSensitiveParams(encryption, { kms_key_arn: 'arn:aws:kms:eu-west-1:222222222222:key/k-1' }, scope, none)).toBeUndefined();
    expect(checkSensitiveParams(ebs, { kms_key_id: 'alias/ebs' }, scope, none)).toBeUndefined();
  });

  it('refuses a KMS key of another account unless it is on trust.allowedKmsKeys', () => {
    const foreign = 'arn:aws:kms:eu-west-1:999999999999:key/k-1';
    expect(checkSensitiveParams(encryption, { kms_key_arn: foreign }, scope, none)).toBe(
      `s3_enable_encryption: kms_key_arn ${foreign} is in account 999999999999, not the finding's account 222222222222, ` +
        `and it is not on trust.allowedKmsKeys in cloudmend.yaml; add ${foreign} there if cloudmend may use it for every account`,
    );
    expect(checkSensitiveParams(ebs, { kms_key_id: foreign }, scope, none)).toMatch(
      /^ebs_enable_encryption_by_default: kms_key_id .* 999999999999/,
    );
    expect(checkSensitiveParams(encryption, { kms_key_arn: foreign }, scope, { ...none, allowedKmsKeys: [foreign] })).toBeUndefined();
    // A destination allow-list never admits a key.
    expect(checkSensitiveParams(encryption, { kms_key_arn: foreign }, scope, { ...none, allowedDestinations: [foreign] })).toBeDefined();
  });

  it('refuses an S3 destination, which names no account, unless allow-listed; an entry covers folders under it only', () => {
    expect(checkSensitiveParams(flowLogs, { s3_arn: 'arn:aws:s3:::org-archive/flow/' }, scope, none)).toMatch(
      /names no account, so it cannot be shown to be in the finding's account 222222222222, and it is not on trust.allowedDestinations/,
    );
    const allow = { ...none, allowedDestinations: ['arn:aws:s3:::org-archive'] };
    expect(checkSensitiveParams(flowLogs, { s3_arn: 'arn:aws:s3:::org-archive' }, scope, allow)).toBeUndefined();
    expect(checkSensitiveParams(flowLogs, { s3_arn: 'arn:aws:s3:::org-archive/flow/' }, scope, allow)).toBeUndefined();
    expect(checkSensitiveParams(flowLogs, { s3_arn: 'arn:aws:s3:::org-archive-evil/flow/' }, scope, allow)).toBeDefined();
  });

  it('refuses any destination or key of another partition, even when listed', () => {
    const cn = 'arn:aws-cn:s3:::archive';
    expect(checkSensitiveParams(flowLogs, { s3_arn: cn }, scope, { ...none, allowedDestinations: [cn] })).toBe(
      "vpc_turn_on_flow_logs: s3_arn arn:aws-cn:s3:::archive is in partition aws-cn, not aws, the finding's",
    );
  });

  it('leaves an own-destination to AWS (S3 only logs into a bucket of the same owner) and ignores absent params', () => {
    expect(checkSensitiveParams(logging, { target_bucket: 'any-name' }, scope, none)).toBeUndefined();
    expect(checkSensitiveParams(flowLogs, {}, scope, none)).toBeUndefined();
  });
});
