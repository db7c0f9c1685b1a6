import { mockClient } from 'aws-sdk-client-mock';
import { DescribeLoggingStatusCommand, DisableLoggingCommand, EnableLoggingCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/redshift/redshift_enable_audit_logging';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';
import { s3Error } from '../s3/s3-test-support';
import { CLUSTER_ARN, cluster } from './redshift.fixtures';

const LOG_BUCKET = 'cloudmend-redshift-audit-logs-222222222222-us-east-1';

describe('redshift_enable_audit_logging', () => {
  const redshift = mockClient(RedshiftClient);
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    redshift.reset();
    s3.reset();
    redshift.on(DescribeLoggingStatusCommand).resolves({ LoggingEnabled: false });
    redshift.on(EnableLoggingCommand).resolves({ LoggingEnabled: true });
  });
  afterAll(() => {
    redshift.restore();
    s3.restore();
  });

  it('exports the audit logs to CloudWatch Logs by default, with no bucket, recording the undo', async () => {
    const result = await bot.run(botContext(bot, { resource: cluster }));

    expect(redshift.commandCalls(DescribeLoggingStatusCommand)[0]!.args[0].input).toEqual({ ClusterIdentifier: 'analytics' });
    expect(redshift.commandCalls(EnableLoggingCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      LogDestinationType: 'cloudwatch',
      LogExports: ['connectionlog', 'userlog', 'useractivitylog'],
    });
    expect(s3.calls()).toHaveLength(0);
    expect(result).toEqual({
      status: 'remediated',
      message: 'Redshift cluster analytics now exports its audit logs to CloudWatch Logs',
      changes: [
        {
          action: 'redshift:EnableLogging',
          target: CLUSTER_ARN,
          description: 'audit logging off -> CloudWatch Logs (connectionlog, userlog, useractivitylog)',
          applied: true,
          undo: { kind: 'audit-logging', before: { LoggingEnabled: false }, after: { LoggingEnabled: true } },
        },
      ],
    });
  });

  it('delivers to the bucket given with destination=s3, without touching the bucket', async () => {
    const result = await bot.run(
      botContext(bot, { resource: cluster, params: { destination: 's3', bucket: 'org-audit-logs', s3_key_prefix: 'redshift/' } }),
    );
    expect(redshift.commandCalls(EnableLoggingCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      LogDestinationType: 's3',
      BucketName: 'org-audit-logs',
      S3KeyPrefix: 'redshift/',
    });
    expect(s3.calls()).toHaveLength(0);
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'redshift:EnableLogging', description: 'audit logging off -> s3://org-audit-logs/redshift/' }),
    ]);
  });

  it('creates the per-account audit log bucket once when destination=s3 names none', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));
    s3.on(CreateBucketCommand).resolves({});
    s3.on(PutBucketTaggingCommand).resolves({});
    s3.on(PutPublicAccessBlockCommand).resolves({});
    s3.on(PutBucketPolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: cluster, params: { destination: 's3' } }));

    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({ Bucket: LOG_BUCKET });
    const policy = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy!);
    expect(policy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Principal: { Service: 'redshift.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${LOG_BUCKET}/*`,
          Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
        }),
        expect.objectContaining({ Principal: { Service: 'redshift.amazonaws.com' }, Action: 's3:GetBucketAcl' }),
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    expect(redshift.commandCalls(EnableLoggingCommand)[0]!.args[0].input).toEqual({
      ClusterIdentifier: 'analytics',
      LogDestinationType: 's3',
      BucketName: LOG_BUCKET,
    });
    expect(result.changes.map((c) => c.action)).toEqual([
      's3:CreateBucket',
      's3:PutBucketTagging',
      's3:PutBucketPublicAccessBlock',
      's3:PutBucketPolicy',
      'redshift:EnableLogging',
    ]);
  });

  it('reuses the audit log bucket a previous run created', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));
    s3.on(PutBucketPolicyCommand).resolves({});
    s3.on(PutPublicAccessBlockCommand).resolves({});
    const { GetPublicAccessBlockCommand } = await import('@aws-sdk/client-s3');
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    const result = await bot.run(botContext(bot, { resource: cluster, params: { destination: 's3' } }));
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(result.changes.map((c) => c.action)).toEqual(['s3:PutBucketPolicy', 'redshift:EnableLogging']);
  });

  it.each([
    [{ LoggingEnabled: true, LogDestinationType: 'cloudwatch' as const, LogExports: ['connectionlog'] }, 'CloudWatch Logs (connectionlog)'],
    [{ LoggingEnabled: true, LogDestinationType: 's3' as const, BucketName: 'logs', S3KeyPrefix: 'rs/' }, 's3://logs/rs/'],
  ])('leaves a cluster already logging alone (%p)', async (status, where) => {
    redshift.on(DescribeLoggingStatusCommand).resolves(status);
    const result = await bot.run(botContext(bot, { resource: cluster, params: { destination: 's3' } }));
    expect(result).toEqual({ status: 'already-compliant', message: `audit logging of analytics is already on, to ${where}`, changes: [] });
    expect(redshift.commandCalls(EnableLoggingCommand)).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses a bucket or prefix with the CloudWatch destination before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: cluster, params: { bucket: 'logs' } }))).rejects.toThrow(
      'bucket and s3_key_prefix apply only with destination=s3',
    );
    expect(redshift.calls()).toHaveLength(0);
  });

  it('in dry run reads, reports the writes (the bucket it would create too), and makes none', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));
    const result = await bot.run(botContext(bot, { resource: cluster, params: { destination: 's3' }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.every((c) => !c.applied)).toBe(true);
    expect(result.changes.map((c) => c.action)).toContain('s3:CreateBucket');
    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(redshift.commandCalls(EnableLoggingCommand)).toHaveLength(0);
  });

  it('passes on what Redshift refuses (a bucket it may not write)', async () => {
    redshift
      .on(EnableLoggingCommand)
      .rejects(awsError('InsufficientS3BucketPolicyFault', 'Cannot read ACLs of bucket org-audit-logs', 400));
    await expect(bot.run(botContext(bot, { resource: cluster, params: { destination: 's3', bucket: 'org-audit-logs' } }))).rejects.toThrow(
      'Cannot read ACLs of bucket org-audit-logs',
    );
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('default to CloudWatch Logs', () => {
      expect(parse({})).toEqual({ success: true, data: { destination: 'cloudwatch' } });
    });
    it('reject unknown destinations, bucket paths and prefixes with spaces', () => {
      expect(parse({ destination: 'firehose' }).success).toBe(false);
      expect(parse({ destination: 's3', bucket: 'logs/redshift' }).success).toBe(false);
      expect(parse({ destination: 's3', s3_key_prefix: 'a b' }).success).toBe(false);
    });
    it('never let a finding choose where the logs go', () => {
      expect(bot.meta.overridable).toEqual([]);
      expect(bot.meta.sensitiveParams).toEqual({ bucket: 'destination' });
    });
  });

  describe('undo', () => {
    const undoer = bot.undoers!['audit-logging']!;
    const ctx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: CLUSTER_ARN,
    } as Parameters<typeof undoer.read>[0];

    it('reads whether logging is on and turns it off', async () => {
      redshift.on(DescribeLoggingStatusCommand).resolves({ LoggingEnabled: true, LogDestinationType: 'cloudwatch' });
      redshift.on(DisableLoggingCommand).resolves({ LoggingEnabled: false });
      expect(await undoer.read(ctx)).toEqual({ LoggingEnabled: true });
      await undoer.write(ctx, { LoggingEnabled: false });
      expect(redshift.commandCalls(DisableLoggingCommand)[0]!.args[0].input).toEqual({ ClusterIdentifier: 'analytics' });
    });

    it('refuses to write logging on, which needs a destination only the bot chooses', async () => {
      await expect(undoer.write(ctx, { LoggingEnabled: true })).rejects.toThrow('only turning audit logging off is supported');
    });
  });
});
