/**
 * Params from findings, planned with the shipped catalog: values in the config
 * are pinned, a finding sets only what a bot declares overridable, and every
 * destination and key stays in the finding's account or on the allow-list.
 * One block per bot that takes a destination or key param.
 */
import { botNames, getBot } from '../../bots';
import type { ResourceType } from '../../bots/types';
import type { RuntimeConfig } from '../../config/runtime';
import { planRemediation } from '../../handler/plan';
import type { SourcedFinding } from '../../handler/sources/types';
import { runtimeConfig } from './support';

const registry = { getBot, botNames };
const ACCOUNT = '222222222222';
const OTHER = '999999999999';

function finding(type: ResourceType, id: string, bot: string, args: string[] = []): SourcedFinding {
  return {
    source: 'cloudguard',
    id: 'f-1',
    rule: 'rule',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: ACCOUNT,
    region: 'eu-west-1',
    resource: { type, id, tags: {} },
    requestedActions: [{ bot, args }],
    raw: {},
    notes: [],
  };
}

function config(bot: string, params: Record<string, unknown> = {}, trust?: RuntimeConfig['trust']): RuntimeConfig {
  return runtimeConfig({ enabledBots: [bot], params: { [bot]: params }, ...(trust ? { trust } : {}) });
}

function outcome(f: SourcedFinding, c: RuntimeConfig): { params?: unknown; refused?: string } {
  const plan = planRemediation(f, c, registry);
  if (plan.runs.length === 1) return { params: plan.runs[0]!.params };
  expect(plan.rejections).toHaveLength(1);
  expect(plan.rejections[0]!.code).toBe('invalid-params');
  return { refused: plan.rejections[0]!.reason };
}

describe('vpc_turn_on_flow_logs', () => {
  const vpc = (args: string[] = []) => finding('AWS::EC2::VPC', 'vpc-0123456789abcdef0', 'vpc_turn_on_flow_logs', args);
  const archive = 'arn:aws:s3:::org-flow-log-archive';

  it('refuses a finding that sends flow logs to a bucket of its choosing (by name or CloudBots position)', () => {
    expect(outcome(vpc(['s3_arn=arn:aws:s3:::attacker']), config('vpc_turn_on_flow_logs')).refused).toMatch(
      /^vpc_turn_on_flow_logs: a finding may not set s3_arn: it names a destination/,
    );
    expect(outcome(vpc(['all', 's3', 'arn:aws:s3:::attacker']), config('vpc_turn_on_flow_logs')).refused).toMatch(
      /a finding may not set destination: the bot lets findings set only traffic_type/,
    );
  });

  it('lets a finding choose the traffic type, keeping the configured destination', () => {
    const c = config(
      'vpc_turn_on_flow_logs',
      { destination: 's3', s3_arn: archive },
      { allowedDestinations: [archive], allowedKmsKeys: [] },
    );
    expect(outcome(vpc(['traffic_type=reject']), c)).toEqual({ params: { traffic_type: 'reject', destination: 's3', s3_arn: archive } });
  });

  it('refuses a configured bucket (which names no account) until it is on trust.allowedDestinations', () => {
    expect(outcome(vpc(), config('vpc_turn_on_flow_logs', { destination: 's3', s3_arn: archive })).refused).toMatch(
      /s3_arn arn:aws:s3:::org-flow-log-archive is an ARN that names no account.*trust\.allowedDestinations/,
    );
  });
});

describe('s3_enable_logging', () => {
  const bucket = (args: string[] = []) => finding('AWS::S3::Bucket', 'data-bucket', 's3_enable_logging', args);

  it('refuses a finding that names the log target bucket or prefix', () => {
    expect(outcome(bucket(['target_bucket=attacker-logs']), config('s3_enable_logging')).refused).toMatch(
      /a finding may not set target_bucket: it names a destination/,
    );
    expect(outcome(bucket(['target_prefix=x/']), config('s3_enable_logging')).refused).toMatch(
      /a finding may not set target_prefix: the bot lets findings set none of its params/,
    );
  });

  it('uses a configured target bucket: S3 itself only logs into a bucket of the source bucket’s owner', () => {
    expect(outcome(bucket(), config('s3_enable_logging', { target_bucket: 'central-logs' }))).toEqual({
      params: { target_bucket: 'central-logs' },
    });
  });
});

describe('s3_enable_encryption', () => {
  const bucket = (args: string[] = []) => finding('AWS::S3::Bucket', 'data-bucket', 's3_enable_encryption', args);
  const ownKey = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const foreignKey = `arn:aws:kms:eu-west-1:${OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  it('refuses a finding that sets default encryption with a key of its choosing', () => {
    expect(outcome(bucket(['kms', foreignKey]), config('s3_enable_encryption')).refused).toMatch(
      /^s3_enable_encryption: a finding may not set kms_key_arn: it names a KMS key/,
    );
  });

  it('refuses a configured key of another account unless allow-listed, and takes one of the finding’s account', () => {
    expect(outcome(bucket(), config('s3_enable_encryption', { encryption_type: 'kms', kms_key_arn: foreignKey })).refused).toMatch(
      /kms_key_arn .* is in account 999999999999, not the finding's account 222222222222, and it is not on trust\.allowedKmsKeys/,
    );
    const allowed = config(
      's3_enable_encryption',
      { encryption_type: 'kms', kms_key_arn: foreignKey },
      { allowedDestinations: [], allowedKmsKeys: [foreignKey] },
    );
    expect(outcome(bucket(), allowed).params).toMatchObject({ kms_key_arn: foreignKey });
    expect(outcome(bucket(['encryption_type=kms']), config('s3_enable_encryption', { kms_key_arn: ownKey })).params).toEqual({
      encryption_type: 'kms',
      kms_key_arn: ownKey,
      bucket_key_enabled: true,
    });
  });
});

describe('ebs_enable_encryption_by_default', () => {
  const account = (args: string[] = []) => finding('AWS::::Account', ACCOUNT, 'ebs_enable_encryption_by_default', args);
  const foreignKey = `arn:aws:kms:eu-west-1:${OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  it('refuses a finding that names the default EBS key', () => {
    expect(outcome(account([foreignKey]), config('ebs_enable_encryption_by_default')).refused).toMatch(
      /a finding may not set kms_key_id: it names a KMS key/,
    );
  });

  it('refuses a configured key of another account unless allow-listed; a bare alias is the finding’s account’s', () => {
    expect(outcome(account(), config('ebs_enable_encryption_by_default', { kms_key_id: foreignKey })).refused).toMatch(
      /trust\.allowedKmsKeys/,
    );
    expect(outcome(account(), config('ebs_enable_encryption_by_default', { kms_key_id: 'alias/ebs-default' })).params).toEqual({
      kms_key_id: 'alias/ebs-default',
    });
  });
});

describe('bots whose params are all harmless settings', () => {
  it('keep working with CloudBots arguments: rds_enable_backup days, access key age, password policy', () => {
    const db = finding('AWS::RDS::DBInstance', 'orders', 'rds_enable_backup', ['14']);
    expect(outcome(db, config('rds_enable_backup')).params).toEqual({ days: 14, apply_immediately: true });
    const user = finding('AWS::IAM::User', 'alice', 'iam_user_deactivate_unused_access_key', ['30']);
    expect(outcome(user, config('iam_user_deactivate_unused_access_key')).params).toEqual({ days: 30 });
    const policy = finding('AWS::::Account', ACCOUNT, 'iam_turn_on_password_policy', ['MinimumPasswordLength:16']);
    expect(outcome(policy, config('iam_turn_on_password_policy'))).toMatchObject({ params: { MinimumPasswordLength: 16 } });
  });

  it('still pin what the config sets', () => {
    const db = finding('AWS::RDS::DBInstance', 'orders', 'rds_enable_backup', ['1']);
    expect(outcome(db, config('rds_enable_backup', { days: 30 })).refused).toBe(
      'rds_enable_backup: a finding may not set days: it is pinned by bots.params.rds_enable_backup.days in cloudmend.yaml',
    );
  });
});
