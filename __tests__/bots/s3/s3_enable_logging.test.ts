import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { POLICY_SETTLING } from '../../../bots/s3/access-log-bucket';
import bot from '../../../bots/s3/s3_enable_logging';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';
import { LOG_BUCKET, LOG_ARN, allOn, deliveryGrant, denyInsecure } from './s3_enable_logging.fixtures';

const bucket = { type: 'AWS::S3::Bucket', id: 'data-bucket' };
const notFound = () => s3Error('NotFound', 404);
const policyOf = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('s3_enable_logging', () => {
  const s3 = mockClient(S3Client);
  const pause = POLICY_SETTLING.pauseMs;
  beforeAll(() => {
    POLICY_SETTLING.pauseMs = () => 0;
  });
  beforeEach(() => {
    s3.reset();
    s3.on(GetBucketLoggingCommand).resolves({});
  });
  afterAll(() => {
    s3.restore();
    POLICY_SETTLING.pauseMs = pause;
  });

  /** The log bucket's policy as S3 keeps it: GetBucketPolicy answers what the last PutBucketPolicy wrote. */
  function storedPolicy(initial?: string): { current: () => string | undefined } {
    let policy = initial;
    s3.on(PutBucketPolicyCommand).callsFake((input: { Policy?: string }) => {
      policy = input.Policy;
      return {};
    });
    s3.on(GetBucketPolicyCommand).callsFake(() => {
      if (policy === undefined) throw s3Error('NoSuchBucketPolicy');
      return { Policy: policy };
    });
    return { current: () => policy };
  }

  it("creates the account's log bucket for the region once, then logs the bucket into it under <bucket>/", async () => {
    s3.on(HeadBucketCommand).rejects(notFound());
    storedPolicy();

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketLoggingCommand)[0]!.args[0].input).toEqual({ Bucket: 'data-bucket' });
    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toEqual({ Bucket: LOG_BUCKET, ExpectedBucketOwner: '222222222222' });
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({ Bucket: LOG_BUCKET });
    expect(s3.commandCalls(PutBucketTaggingCommand)[0]!.args[0].input).toEqual({
      Bucket: LOG_BUCKET,
      Tagging: { TagSet: [{ Key: 'cloudmend:created-by', Value: 's3_enable_logging' }] },
    });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input).toEqual({
      Bucket: LOG_BUCKET,
      PublicAccessBlockConfiguration: allOn,
    });
    expect(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input).toEqual({
      Bucket: LOG_BUCKET,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [deliveryGrant, denyInsecure] }),
    });
    expect(s3.commandCalls(PutBucketLoggingCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: LOG_BUCKET, TargetPrefix: 'data-bucket/' } },
    });
    // No read of a policy the bucket cannot have yet; one read after the write, to see no concurrent write dropped it.
    expect(
      s3
        .calls()
        .map((call) => call.args[0].constructor.name)
        .filter((name) => name.endsWith('BucketPolicyCommand')),
    ).toEqual(['PutBucketPolicyCommand', 'GetBucketPolicyCommand']);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`data-bucket now logs to s3://${LOG_BUCKET}/data-bucket/`);
    expect(result.changes.map((c) => [c.action, c.target])).toEqual([
      ['s3:CreateBucket', LOG_ARN],
      ['s3:PutBucketTagging', LOG_ARN],
      ['s3:PutBucketPublicAccessBlock', LOG_ARN],
      ['s3:PutBucketPolicy', LOG_ARN],
      ['s3:PutBucketLogging', 'arn:aws:s3:::data-bucket'],
    ]);
    expect(result.changes[4]!.description).toBe(`server access logging off -> on, to s3://${LOG_BUCKET}/data-bucket/`);
  });

  it('creates the log bucket with the region as location constraint outside us-east-1', async () => {
    s3.on(HeadBucketCommand).rejects(notFound());
    storedPolicy();
    await bot.run(botContext(bot, { resource: bucket, finding: { region: 'eu-west-1' } }));
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({
      Bucket: 'cloudmend-s3-access-logs-222222222222-eu-west-1',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    });
  });

  it('reuses an existing, complete log bucket without changing it', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [deliveryGrant, denyInsecure] }) });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
    expect(result.changes.map((c) => c.action)).toEqual(['s3:PutBucketLogging']);
  });

  it('repairs an existing log bucket missing its delivery grant or public access block, keeping its other statements', async () => {
    const other = {
      Sid: 'Audit',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:role/audit' },
      Action: 's3:GetObject',
      Resource: `${LOG_ARN}/*`,
    };
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration'));
    storedPolicy(policyOf(other));

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input).toEqual({
      Bucket: LOG_BUCKET,
      PublicAccessBlockConfiguration: allOn,
    });
    expect(JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [other, deliveryGrant],
    });
    expect(result.changes.map((c) => c.action)).toEqual(['s3:PutBucketPublicAccessBlock', 's3:PutBucketPolicy', 's3:PutBucketLogging']);
  });

  it('reads the policy back after writing it, and merges its grant in again when a concurrent writer dropped it, keeping theirs', async () => {
    const theirs = {
      Sid: 'Theirs',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:role/x' },
      Action: 's3:GetObject',
      Resource: `${LOG_ARN}/*`,
    };
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    let policy: string | undefined = policyOf(denyInsecure);
    s3.on(GetBucketPolicyCommand).callsFake(() => ({ Policy: policy }));
    s3.on(PutBucketPolicyCommand)
      // Another writer read the policy before our first write and wrote its version just after it: our grant is gone.
      .callsFakeOnce(() => {
        policy = policyOf(denyInsecure, theirs);
        return {};
      })
      .callsFake((input: { Policy?: string }) => {
        policy = input.Policy;
        return {};
      });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(JSON.parse(policy!).Statement).toEqual([denyInsecure, theirs, deliveryGrant]);
    expect(result.changes.map((c) => c.description)).toEqual([
      `bucket policy: added a grant letting logging.s3.amazonaws.com write logs of account 222222222222, other statements kept`,
      `bucket policy: added a grant letting logging.s3.amazonaws.com write logs of account 222222222222, other statements kept (again: a concurrent write of the policy had dropped it)`,
      `server access logging off -> on, to s3://${LOG_BUCKET}/data-bucket/`,
    ]);
  });

  it('gives up with a retryable conflict, naming the bucket, when the policy keeps losing its grant', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: policyOf(denyInsecure) });
    s3.on(PutBucketPolicyCommand).resolves({});
    const failure = bot.run(botContext(bot, { resource: bucket }));
    await expect(failure).rejects.toMatchObject({ name: 'ConflictingCreate' });
    await expect(failure).rejects.toThrow(`the bucket policy of access log bucket ${LOG_BUCKET}: changed by another run`);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(POLICY_SETTLING.writes);
    expect(s3.commandCalls(PutBucketLoggingCommand)).toHaveLength(0);
  });

  it('refuses a log bucket name taken by another account, before any write', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 403));
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toThrow(
      `access log bucket ${LOG_BUCKET} exists but is not owned by account 222222222222 (or access to it is denied); ` +
        'set target_bucket to a bucket of this account in this region',
    );
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketLoggingCommand)).toHaveLength(0);
  });

  it('uses the log bucket a concurrent run created between the check and the create, read back as its own, not reported as its create', async () => {
    s3.on(HeadBucketCommand).rejectsOnce(notFound()).resolves({});
    s3.on(CreateBucketCommand).rejects(s3Error('BucketAlreadyOwnedByYou', 409));
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [deliveryGrant, denyInsecure] }) });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('remediated');
    expect(s3.commandCalls(HeadBucketCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: LOG_BUCKET, ExpectedBucketOwner: '222222222222' },
      { Bucket: LOG_BUCKET, ExpectedBucketOwner: '222222222222' },
    ]);
    expect(result.changes.map((c) => c.action)).toEqual(['s3:PutBucketLogging']);
  });

  it('fails retryably, logging nowhere, when the log bucket said to be ours cannot be read back yet', async () => {
    s3.on(HeadBucketCommand).rejects(notFound());
    s3.on(CreateBucketCommand).rejects(s3Error('BucketAlreadyOwnedByYou', 409));
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toMatchObject({ name: 'ConflictingCreate', $retryable: {} });
    expect(s3.commandCalls(PutBucketLoggingCommand)).toHaveLength(0);
  });

  it('reads the bucket first: a bucket that is gone leaves no log bucket behind', async () => {
    s3.on(GetBucketLoggingCommand).rejects(s3Error('NoSuchBucket', 404));
    s3.on(HeadBucketCommand).rejects(notFound());
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
  });

  it('fails when the log bucket name was taken by someone else between the check and the create', async () => {
    s3.on(HeadBucketCommand).rejects(notFound());
    s3.on(CreateBucketCommand).rejects(s3Error('BucketAlreadyExists', 409));
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toMatchObject({ name: 'BucketAlreadyExists' });
    expect(s3.commandCalls(PutBucketLoggingCommand)).toHaveLength(0);
  });

  it('logs to a given target bucket and prefix without touching the target', async () => {
    const result = await bot.run(
      botContext(bot, { resource: bucket, params: { target_bucket: 'central-logs', target_prefix: 's3/data/' } }),
    );

    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketLoggingCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'central-logs', TargetPrefix: 's3/data/' } },
    });
    expect(result.message).toBe('data-bucket now logs to s3://central-logs/s3/data/');
  });

  it('reports already-compliant, saying where, when logging is on to any target', async () => {
    s3.on(GetBucketLoggingCommand).resolves({ LoggingEnabled: { TargetBucket: 'their-logs', TargetPrefix: 'data/' } });
    const result = await bot.run(botContext(bot, { resource: bucket, params: { target_bucket: 'central-logs' } }));
    expect(result).toEqual({ status: 'already-compliant', message: 'data-bucket already logs to s3://their-logs/data/', changes: [] });
    expect(s3.commandCalls(PutBucketLoggingCommand)).toHaveLength(0);
  });

  it('refuses target_bucket naming the bucket itself', async () => {
    await expect(bot.run(botContext(bot, { resource: bucket, params: { target_bucket: 'data-bucket' } }))).rejects.toThrow(
      's3_enable_logging: target_bucket data-bucket is the bucket itself',
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('skips the log bucket itself rather than logging it into itself', async () => {
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: LOG_BUCKET } }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(/is cloudmend's access log bucket; logging it into itself/);
    expect(s3.commandCalls(PutBucketLoggingCommand)).toHaveLength(0);
  });

  it('in dry run reports creating the log bucket and turning logging on, and writes nothing', async () => {
    s3.on(HeadBucketCommand).rejects(notFound());

    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));

    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['s3:CreateBucket', false],
      ['s3:PutBucketTagging', false],
      ['s3:PutBucketPublicAccessBlock', false],
      ['s3:PutBucketPolicy', false],
      ['s3:PutBucketLogging', false],
    ]);
    expect(s3.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetBucketLoggingCommand', 'HeadBucketCommand']);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);

    it('needs none: the default log bucket and <bucket>/ prefix', () => {
      expect(parse({})).toEqual({ success: true, data: {} });
    });

    it('takes target bucket and prefix positionally, as CloudBots does', () => {
      expect(bot.meta.positional).toEqual(['target_bucket', 'target_prefix']);
      expect(parse({ target_bucket: ' central-logs ', target_prefix: '' }).data).toEqual({
        target_bucket: 'central-logs',
        target_prefix: '',
      });
    });

    it('rejects a target that is not a bucket name, and unknown params', () => {
      expect(parse({ target_bucket: 'arn:aws:s3:::central-logs' }).success).toBe(false);
      expect(parse({ target_bucket: 'central-logs/prefix' }).success).toBe(false);
      expect(parse({ bucket: 'central-logs' }).success).toBe(false);
    });
  });
});
