import { mockClient } from 'aws-sdk-client-mock';
import { GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_only_allow_ssl';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';
import { ARN, ours, readerGrant, keepBucket } from './s3_only_allow_ssl.fixtures';

const bucket = { type: 'AWS::S3::Bucket', id: 'data-bucket' };

function putPolicy(s3: ReturnType<typeof mockClient>): unknown {
  return JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy as string);
}

describe('s3_only_allow_ssl', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('creates a bucket policy with the deny statement when the bucket has none', async () => {
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));
    s3.on(PutBucketPolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.args[0].input).toEqual({ Bucket: 'data-bucket' });
    expect(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ours] }),
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'data-bucket now denies requests without TLS (new bucket policy)',
      changes: [
        {
          action: 's3:PutBucketPolicy',
          target: ARN,
          description: 'bucket policy: none -> one statement CloudmendDenyInsecureTransport denying s3:* without TLS',
          applied: true,
          undo: { kind: 'bucket-policy', before: null, after: { Version: '2012-10-17', Statement: [ours] } },
        },
      ],
    });
  });

  it('appends the statement after every existing statement, keeping them and the document fields exactly', async () => {
    const existing = { Version: '2012-10-17', Id: 'data-policy', Statement: [readerGrant, keepBucket] };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(existing) });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(putPolicy(s3)).toEqual({ Version: '2012-10-17', Id: 'data-policy', Statement: [readerGrant, keepBucket, ours] });
    expect(result.changes[0]!.description).toBe(
      'bucket policy: added statement CloudmendDenyInsecureTransport denying s3:* without TLS after the 2 existing statement(s), kept unchanged',
    );
    expect(result.message).toBe('data-bucket now denies requests without TLS (statement added to its policy)');
  });

  it('keeps a policy whose Statement is a single object, and a 2008 Version', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2008-10-17', Statement: keepBucket }) });
    await bot.run(botContext(bot, { resource: bucket }));
    expect(putPolicy(s3)).toEqual({ Version: '2008-10-17', Statement: [keepBucket, ours] });
  });

  it('gives the statement a fresh Sid when an unrelated statement already uses ours', async () => {
    const squatter = { ...keepBucket, Sid: 'CloudmendDenyInsecureTransport' };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [squatter] }) });
    await bot.run(botContext(bot, { resource: bucket }));
    expect(putPolicy(s3)).toEqual({ Version: '2012-10-17', Statement: [squatter, { ...ours, Sid: 'CloudmendDenyInsecureTransport2' }] });
  });

  it('reports already-compliant, naming the statement, when an equivalent deny exists in another form', async () => {
    const theirs = {
      Sid: 'EnforceTLS',
      Effect: 'Deny',
      Principal: { AWS: ['*'] },
      Action: ['*'],
      Resource: 'arn:aws:s3:::data-bucket*',
      Condition: { BoolIfExists: { 'aws:securetransport': false } },
    };
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [readerGrant, theirs] }) });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(result).toEqual({
      status: 'already-compliant',
      message: 'the bucket policy of data-bucket already denies requests without TLS (statement EnforceTLS)',
      changes: [],
    });
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
  });

  it('refuses to rewrite a policy it cannot parse', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: '{"Statement": [' });
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toThrow(
      'the bucket policy of data-bucket is not valid JSON; refusing to rewrite it',
    );
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 's3:PutBucketPolicy', applied: false })]);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ sid: 'x' }).success).toBe(false);
  });
});
