import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/cloudtrail/cloudtrail_enable';
import { trailDeliveryStatements } from '../../../bots/cloudtrail/trail-bucket';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { s3Error } from '../s3/s3-test-support';

const account = { type: 'AWS::::Account', id: '222222222222' };
const BUCKET = 'cloudmend-cloudtrail-222222222222-us-east-1';
const TRAIL = 'arn:aws:cloudtrail:us-east-1:222222222222:trail/cloudmend-trail';

describe('cloudtrail_enable', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    cloudtrail.reset();
    s3.reset();
  });
  afterAll(() => {
    cloudtrail.restore();
    s3.restore();
  });

  it('is compliant when an organization trail covers the account, without reading the management account’s trail', async () => {
    const org = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org';
    cloudtrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        { Name: 'local', TrailARN: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/local', IsMultiRegionTrail: false },
        { Name: 'org', TrailARN: org, IsMultiRegionTrail: true, IsOrganizationTrail: true, HomeRegion: 'us-east-1' },
      ],
    });

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(cloudtrail.commandCalls(DescribeTrailsCommand)[0]!.args[0].input).toEqual({ includeShadowTrails: true });
    expect(cloudtrail.commandCalls(GetTrailStatusCommand)).toHaveLength(0);
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'organization trail org logs the account in every Region',
      changes: [],
    });
    expect(s3.calls()).toHaveLength(0);
  });

  it('is compliant when a multi-Region trail of the account is logging', async () => {
    const own = 'arn:aws:cloudtrail:us-east-1:222222222222:trail/main';
    cloudtrail
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [{ Name: 'main', TrailARN: own, IsMultiRegionTrail: true, HomeRegion: 'us-east-1' }] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(cloudtrail.commandCalls(GetTrailStatusCommand).map((c) => c.args[0].input)).toEqual([{ Name: own }]);
    expect(result.message).toBe('multi-Region trail main logs the account in every Region');
  });

  it('starts a stopped multi-Region trail of the account instead of creating another', async () => {
    const own = 'arn:aws:cloudtrail:us-east-2:222222222222:trail/main';
    cloudtrail
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [{ Name: 'main', TrailARN: own, IsMultiRegionTrail: true, HomeRegion: 'us-east-2' }] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(cloudtrail.commandCalls(StartLoggingCommand)[0]!.args[0].input).toEqual({ Name: 'main' });
    expect(await (cloudtrail.commandCalls(StartLoggingCommand)[0]!.thisValue as CloudTrailClient).config.region()).toBe('us-east-2');
    expect(cloudtrail.commandCalls(CreateTrailCommand)).toHaveLength(0);
    expect(result.message).toBe('started logging on the multi-Region trail main');
    // Undo stops it again, in a session naming that trail and its home Region only.
    const undo = result.changes[0]!.undo!;
    expect(undo).toEqual({
      kind: 'trail-logging',
      before: { IsLogging: false },
      after: { IsLogging: true },
      ids: { trailRegion: ['us-east-2'], trailName: ['main'] },
    });
    const kind = bot.meta.undo!['trail-logging']!;
    if (!kind.reversible) throw new Error('trail-logging must be reversible');
    const policy = sessionPolicyFor(kind, {
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      resourceId: '222222222222',
      derived: undo.ids!,
    });
    expect(policy.Statement.map((st) => [st.Action, st.Resource])).toEqual([
      [['cloudtrail:GetTrailStatus', 'cloudtrail:StopLogging'], [own]],
    ]);
  });

  describe('undo of a trail it started', () => {
    const undoer = bot.undoers!['trail-logging']!;
    const undoContext = () => ({
      client: <C>(ClientClass: new (config: { region: string }) => C, overrides?: { region?: string }) =>
        new ClientClass({ region: overrides?.region ?? 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: 'arn:aws:cloudtrail:us-east-2:222222222222:trail/main',
    });

    it('reads whether the trail logs, by name in its home Region', async () => {
      cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
      expect(await undoer.read(undoContext())).toEqual({ IsLogging: true });
      const call = cloudtrail.commandCalls(GetTrailStatusCommand)[0]!;
      expect(call.args[0].input).toEqual({ Name: 'main' });
      expect(await (call.thisValue as CloudTrailClient).config.region()).toBe('us-east-2');
    });

    it('stops it, and never starts one', async () => {
      cloudtrail.on(StopLoggingCommand).resolves({});
      await undoer.write(undoContext(), { IsLogging: false });
      expect(cloudtrail.commandCalls(StopLoggingCommand)[0]!.args[0].input).toEqual({ Name: 'main' });
      await expect(undoer.write(undoContext(), { IsLogging: true })).rejects.toThrow('only stopping');
      expect(cloudtrail.commandCalls(StartLoggingCommand)).toHaveLength(0);
    });
  });

  it('creates the bucket (blocked, TLS-only, delivery for this trail only) and a validated multi-Region trail', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET, ExpectedBucketOwner: '222222222222' });
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET });
    expect(s3.commandCalls(PutBucketTaggingCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy!);
    expect(policy.Statement.slice(0, 2)).toEqual(trailDeliveryStatements(BUCKET, 'aws', '222222222222', TRAIL));
    expect(policy.Statement[1].Condition.StringEquals['aws:SourceArn']).toBe(TRAIL);
    expect(policy.Statement[2]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(cloudtrail.commandCalls(CreateTrailCommand)[0]!.args[0].input).toEqual({
      Name: 'cloudmend-trail',
      S3BucketName: BUCKET,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      TagsList: [{ Key: 'cloudmend:created-by', Value: 'cloudtrail_enable' }],
    });
    expect(cloudtrail.commandCalls(StartLoggingCommand)[0]!.args[0].input).toEqual({ Name: 'cloudmend-trail' });
    expect(result.message).toBe(`created and started the multi-Region trail cloudmend-trail, delivering to s3://${BUCKET}`);
    // The bucket and the trail are kept on undo: irreversible kinds, each with why.
    expect(result.changes.map((c) => [c.action, c.undo?.kind])).toEqual([
      ['s3:CreateBucket', 'log-bucket'],
      ['s3:PutBucketTagging', 'log-bucket'],
      ['s3:PutBucketPublicAccessBlock', 'log-bucket'],
      ['s3:PutBucketPolicy', 'log-bucket'],
      ['cloudtrail:CreateTrail', 'created-trail'],
      ['cloudtrail:StartLogging', 'created-trail'],
    ]);
    expect(bot.meta.undo!['created-trail']).toMatchObject({ reversible: false });
  });

  it('reuses its bucket from an interrupted run, adding only the missing delivery grant', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));

    await bot.run(botContext(bot, { resource: account }));

    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
    expect(JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy!).Statement).toEqual(
      trailDeliveryStatements(BUCKET, 'aws', '222222222222', TRAIL),
    );
  });

  it('refuses a default bucket name someone else owns', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 403));
    await expect(bot.run(botContext(bot, { resource: account }))).rejects.toThrow(
      `bucket ${BUCKET} exists but is not owned by account 222222222222; pass bucket=<a bucket of this account>`,
    );
    expect(cloudtrail.commandCalls(CreateTrailCommand)).toHaveLength(0);
  });

  it('delivers to a given bucket without touching it', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    await bot.run(botContext(bot, { resource: account, params: { bucket: 'org-log-archive' } }));
    expect(s3.calls()).toHaveLength(0);
    expect(cloudtrail.commandCalls(CreateTrailCommand)[0]!.args[0].input.S3BucketName).toBe('org-log-archive');
  });

  it('in dry run creates nothing', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));
    const result = await bot.run(botContext(bot, { resource: account, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => c.action)).toEqual([
      's3:CreateBucket',
      's3:PutBucketTagging',
      's3:PutBucketPublicAccessBlock',
      's3:PutBucketPolicy',
      'cloudtrail:CreateTrail',
      'cloudtrail:StartLogging',
    ]);
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(cloudtrail.commandCalls(CreateTrailCommand)).toHaveLength(0);
  });
});
