import { mockClient } from 'aws-sdk-client-mock';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_remove_cross_account_principals';
import { principalAccount } from '../../../bots/s3/cross-account';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const ARN = 'arn:aws:s3:::shared-bucket';
const bucket = { type: 'AWS::S3::Bucket', id: 'shared-bucket' };
// The finding's account (botContext) is 222222222222.
const mixed = {
  Sid: 'Readers',
  Effect: 'Allow',
  Principal: { AWS: ['arn:aws:iam::222222222222:role/app', 'arn:aws:iam::333333333333:root', '444444444444'] },
  Action: 's3:GetObject',
  Resource: `${ARN}/*`,
};
const foreignOnly = {
  Sid: 'Partner',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:sts::555555555555:assumed-role/x/y' },
  Action: 's3:*',
  Resource: ARN,
};
const service = {
  Sid: 'Logs',
  Effect: 'Allow',
  Principal: { Service: 'logging.s3.amazonaws.com' },
  Action: 's3:PutObject',
  Resource: `${ARN}/*`,
};
const denyOther = { Sid: 'DenyOther', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::666666666666:root' }, Action: 's3:*', Resource: ARN };
const publicRead = { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*` };

function policyInput(s3: ReturnType<typeof mockClient>) {
  return JSON.parse(String((s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input as { Policy: string }).Policy));
}

describe('s3_remove_cross_account_principals', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('drops foreign principals and foreign-only statements, keeping every other statement and field in order', async () => {
    const policy = { Version: '2012-10-17', Id: 'kept-id', Statement: [service, mixed, foreignOnly, denyOther, publicRead] };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(policy) });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Bucket).toBe('shared-bucket');
    expect(policyInput(s3)).toEqual({
      Version: '2012-10-17',
      Id: 'kept-id',
      Statement: [service, { ...mixed, Principal: { AWS: 'arn:aws:iam::222222222222:role/app' } }, denyOther, publicRead],
    });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      {
        action: 's3:PutBucketPolicy',
        target: ARN,
        description:
          'bucket policy: removed Readers: arn:aws:iam::333333333333:root, 444444444444; Partner: arn:aws:sts::555555555555:assumed-role/x/y; every other statement kept',
        applied: true,
        undo: { kind: 'bucket-policy', before: policy, after: policyInput(s3) },
      },
    ]);
  });

  it('keeps the principals of allowed accounts, given as an AUTO: argument', async () => {
    const params = resolveParams(bot.meta, ['allowed_accounts=333333333333,444444444444']);
    expect(params).toEqual({ ok: true, params: { allowed_accounts: ['333333333333', '444444444444'] } });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [mixed] }) });

    const result = await bot.run(botContext(bot, { resource: bucket, params: { allowed_accounts: ['333333333333', '444444444444'] } }));

    expect(result.status).toBe('already-compliant');
    expect(result.message).toBe('the bucket policy of shared-bucket allows no principal of another account');
  });

  it('rejects an allowed account that is not an account id, naming the param', () => {
    const params = resolveParams(bot.meta, ['allowed_accounts=333333333333,partner']);
    expect(params).toEqual({
      ok: false,
      error: 'invalid params for s3_remove_cross_account_principals: allowed_accounts.1: an AWS account id is 12 digits',
    });
  });

  it('deletes the policy when no statement is left', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: foreignOnly }) });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteBucketPolicyCommand)[0]!.args[0].input).toEqual({ Bucket: 'shared-bucket' });
    expect(result.changes[0]!.description).toBe(
      'bucket policy: removed Partner: arn:aws:sts::555555555555:assumed-role/x/y; no statement left, policy deleted',
    );
  });

  it('reports a bucket without a policy as compliant', async () => {
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'shared-bucket has no bucket policy, so it lets no other account in',
      changes: [],
    });
  });

  it('in dry run writes nothing', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [mixed] }) });
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
  });

  it('reads the account from account ids and IAM or STS ARNs only', () => {
    expect(principalAccount('123456789012')).toBe('123456789012');
    expect(principalAccount('arn:aws-us-gov:iam::123456789012:user/a')).toBe('123456789012');
    expect(principalAccount('arn:aws:sts::123456789012:assumed-role/r/s')).toBe('123456789012');
    expect(principalAccount('AIDAEXAMPLEUSERID')).toBeUndefined();
    expect(principalAccount('*')).toBeUndefined();
  });
});
