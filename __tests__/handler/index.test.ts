import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetBucketTaggingCommand, GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { handler, resetContainer } from '../../handler';
import { PublishError, RuntimeConfigFileError } from '../../handler/errors';
import type { RemediationResult } from '../../handler/report';
import { fixture } from '../fixtures/load';
import { runtimeConfig } from './support';
import { tempDirForFile } from '../support/temp-dir';
import { awsError } from '../support/aws-error';

const sts = mockClient(STSClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
afterAll(() => {
  sts.restore();
  sns.restore();
  s3.restore();
  tagging.restore();
});

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:cloudmend-results';
const dir = tempDirForFile('cloudmend-handler-');
let configCount = 0;

function useConfig(overrides: Parameters<typeof runtimeConfig>[0] = {}): void {
  const path = join(dir, `runtime-${configCount++}.json`);
  writeFileSync(path, JSON.stringify(runtimeConfig({ enabledBots: ['s3_enable_versioning'], ...overrides })));
  process.env.CLOUDMEND_RUNTIME_CONFIG = path;
  resetContainer();
}

/** A CloudGuard notification for a bucket in the member account, as SNS delivers it. */
function snsCloudGuard(bucket: string, messageId = 'sns-1') {
  const message = fixture('cloudguard-s3-bucket.json');
  message.account.id = '222222222222';
  message.entity.id = message.entity.name = bucket;
  message.rule.complianceTags = 'AUTO: s3_enable_versioning';
  return { EventSource: 'aws:sns', Sns: { MessageId: messageId, Message: JSON.stringify(message) } };
}

function sqsRecord(messageId: string, body: unknown) {
  return { messageId, eventSource: 'aws:sqs', body: JSON.stringify(body) };
}

/** A JSON log line as handler/log.ts writes it. */
interface LogLine {
  level: string;
  message: string;
  requestId?: string;
  result?: RemediationResult;
}

let lines: LogLine[];
beforeEach(() => {
  sts.reset();
  sns.reset();
  s3.reset();
  tagging.reset();
  process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = TOPIC;
  delete process.env.CLOUDMEND_DRY_RUN;
  useConfig();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIAMEMBER', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 900_000) },
  });
  sns.on(PublishBatchCommand).resolves({ Failed: [] });
  s3.on(GetBucketVersioningCommand).resolves({});
  s3.on(PutBucketVersioningCommand).resolves({});
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
  s3.on(GetBucketTaggingCommand).resolves({ TagSet: [] });
  lines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(JSON.parse(String(chunk)) as LogLine);
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

function published(): RemediationResult[] {
  return sns
    .commandCalls(PublishBatchCommand)
    .flatMap((c) => c.args[0].input.PublishBatchRequestEntries!.map((e) => JSON.parse(e.Message!) as RemediationResult));
}

describe('the Lambda handler', () => {
  it('remediates a CloudGuard finding from SNS in the member account, logs one line and publishes one message per result', async () => {
    const response = await handler({ Records: [snsCloudGuard('data-bucket')] }, { awsRequestId: 'req-1' });

    expect(response).toEqual({ results: { remediated: 1 }, dryRun: false });
    expect(sts.commandCalls(AssumeRoleCommand)[1]!.args[0].input).toMatchObject({
      RoleArn: 'arn:aws:iam::222222222222:role/CloudmendRemediation',
      ExternalId: 'ext-123',
      RoleSessionName: 'cloudmend-s3_enable_versioning',
    });
    expect(s3.commandCalls(PutBucketVersioningCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const results = lines.filter((l) => l.result).map((l) => l.result);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ bot: 's3_enable_versioning', status: 'remediated', account: '222222222222', region: 'us-east-1' });
    expect(lines.find((l) => l.result)!.requestId).toBe('req-1');
    expect(published()).toEqual(results);
    // The finding carries the bucket's tags (none), a copy from CloudGuard's last scan: the live ones are read all the same.
    expect(s3.commandCalls(GetBucketTaggingCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'data-bucket' }]);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it('runs in dry run when the invocation asks, writing nothing', async () => {
    const response = await handler({ dryRun: true, event: { Records: [snsCloudGuard('data-bucket')] } });
    expect(response).toEqual({ results: { 'dry-run': 1 }, dryRun: true });
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
    expect(published()[0]).toMatchObject({ status: 'dry-run', dryRun: true, changes: [expect.objectContaining({ applied: false })] });
  });

  it('runs in dry run when the deployed config says so', async () => {
    useConfig({ mode: 'dry-run' });
    await handler({ Records: [snsCloudGuard('data-bucket')] });
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });

  it('reports bad input and rejected findings without failing the invocation', async () => {
    const passed = fixture('cloudguard-s3-passed.json');
    const response = await handler({
      Records: [
        { EventSource: 'aws:sns', Sns: { MessageId: 'x', Message: '{oops' } },
        { EventSource: 'aws:sns', Sns: { MessageId: 'y', Message: passed } },
      ],
    });
    expect(response).toEqual({ results: { failed: 1, skipped: 1 }, dryRun: false });
    expect(published().map((r) => r.errorName)).toEqual(['malformed-event', 'finding-passed']);
  });

  it('reports a permanent bot failure and does not ask for a retry', async () => {
    s3.on(GetBucketVersioningCommand).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));
    const response = await handler({ Records: [snsCloudGuard('gone-bucket')] });
    expect(response).toEqual({ results: { failed: 1 }, dryRun: false });
    expect(published()[0]).toMatchObject({ status: 'failed', errorName: 'NoSuchBucket', retryable: false });
  });

  it('throws on a transient failure so Lambda retries the event, publishing every result but the one the retry will report', async () => {
    s3.on(GetBucketVersioningCommand, { Bucket: 'busy-bucket' }).rejects(awsError('SlowDown', 'Please reduce your request rate.', 503));
    await expect(handler({ Records: [snsCloudGuard('busy-bucket', 'a'), snsCloudGuard('data-bucket', 'b')] })).rejects.toMatchObject({
      name: 'RetryableFailureError',
      message: '1 remediation(s) failed with transient errors and will be retried: s3_enable_versioning on busy-bucket: SlowDown',
    });
    expect(published().map((r) => [r.resource!.id, r.status])).toEqual([['data-bucket', 'remediated']]);
    expect(lines.flatMap((l) => (l.result ? [[l.result.resource?.id, l.result.status, l.result.retryable]] : []))).toEqual([
      ['busy-bucket', 'failed', true],
      ['data-bucket', 'remediated', false],
    ]);
  });

  it('returns only the SQS records with transient failures as batch item failures', async () => {
    s3.on(GetBucketVersioningCommand, { Bucket: 'busy-bucket' }).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    const toSqs = (bucket: string) => ({
      Type: 'Notification',
      MessageId: bucket,
      TopicArn: 'arn:aws:sns:us-east-1:111111111111:in',
      Message: snsCloudGuard(bucket).Sns.Message,
    });
    const response = await handler({
      Records: [
        sqsRecord('m-ok', toSqs('data-bucket')),
        sqsRecord('m-busy', toSqs('busy-bucket')),
        { messageId: 'm-bad', eventSource: 'aws:sqs', body: 'nope' },
      ],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-busy' }] });
    expect(published().map((r) => [r.recordId, r.status])).toEqual([
      ['m-bad', 'failed'],
      ['m-ok', 'remediated'],
    ]);
  });

  it('fails the invocation when the report cannot be published, after logging the results', async () => {
    sns.on(PublishBatchCommand).rejects(awsError('NotFound', 'Topic does not exist'));
    await expect(handler({ Records: [snsCloudGuard('data-bucket')] })).rejects.toBeInstanceOf(PublishError);
    expect(lines.filter((l) => l.result).map((l) => l.result!.status)).toEqual(['remediated']);
    expect(lines.find((l) => l.level === 'ERROR')!.message).toBe('report publish failed; failing the invocation so it is retried');
  });

  it('fails the invocation (so the event is kept) when the runtime config is missing', async () => {
    process.env.CLOUDMEND_RUNTIME_CONFIG = join(dir, 'nowhere.json');
    resetContainer();
    await expect(handler({ Records: [snsCloudGuard('data-bucket')] })).rejects.toBeInstanceOf(RuntimeConfigFileError);
  });

  describe("the exclusion tag, on the resource's live tags", () => {
    /** A Security Hub S3 finding without `Resources[].Tags`, mapped to the versioning bot. */
    function securityHubS3(bucket: string) {
      useConfig({ mappings: { guardduty: {}, securityHub: { 'S3.8': ['s3_enable_versioning'] }, config: {} } });
      const event = fixture('securityhub-imported-s3.8.json');
      event.detail.findings[0].AwsAccountId = '222222222222';
      event.detail.findings[0].Resources[0].Id = `arn:aws:s3:::${bucket}`;
      delete event.detail.findings[0].Resources[0].Tags;
      return event;
    }
    const tagged = (tags: Array<{ Key: string; Value: string }>) => ({ TagSet: tags });

    it('looks the tags up once, before the bot runs, with lookup-only credentials', async () => {
      expect(await handler(securityHubS3('data-bucket'))).toEqual({ results: { remediated: 1 }, dryRun: false });
      expect(s3.commandCalls(GetBucketTaggingCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'data-bucket' }]);
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleSessionName)).toEqual([
        'cloudmend-tag-lookup',
        'cloudmend-s3_enable_versioning',
      ]);
    });

    it('skips a resource whose looked-up tags carry the exclusion tag, touching nothing', async () => {
      s3.on(GetBucketTaggingCommand).resolves(tagged([{ Key: 'cloudmend:exclude', Value: 'true' }]));
      expect(await handler(securityHubS3('data-bucket'))).toEqual({ results: { skipped: 1 }, dryRun: false });
      expect(s3.commandCalls(GetBucketVersioningCommand)).toHaveLength(0);
      expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
      expect(published()).toEqual([
        expect.objectContaining({
          status: 'skipped',
          errorName: 'resource-excluded',
          message:
            'AWS::S3::Bucket data-bucket carries the exclusion tag cloudmend:exclude (read live with s3:GetBucketTagging); nothing was changed',
        }),
      ]);
    });

    it('excludes on the live tags even when the finding carries tags without the exclusion tag (a tag set after the scan)', async () => {
      s3.on(GetBucketTaggingCommand).resolves(tagged([{ Key: 'cloudmend:exclude', Value: 'true' }]));
      expect(await handler({ Records: [snsCloudGuard('data-bucket')] })).toEqual({ results: { skipped: 1 }, dryRun: false });
      expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
    });

    it('runs the bot when the key is there with another value than the configured one', async () => {
      const event = securityHubS3('data-bucket');
      useConfig({
        exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
        mappings: { guardduty: {}, securityHub: { 'S3.8': ['s3_enable_versioning'] }, config: {} },
      });
      s3.on(GetBucketTaggingCommand).resolves(tagged([{ Key: 'cloudmend:exclude', Value: 'later' }]));
      expect(await handler(event)).toEqual({ results: { remediated: 1 }, dryRun: false });
      expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
    });

    it('fails the run without running the bot when the lookup is denied, asking for the member role to be redeployed; no retry', async () => {
      s3.on(GetBucketTaggingCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: s3:GetBucketTagging', 403));
      expect(await handler(securityHubS3('data-bucket'))).toEqual({ results: { failed: 1 }, dryRun: false });
      expect(s3.commandCalls(GetBucketVersioningCommand)).toHaveLength(0);
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleSessionName)).toEqual(['cloudmend-tag-lookup']);
      const [result] = published();
      expect(result).toMatchObject({ bot: 's3_enable_versioning', status: 'failed', errorName: 'TagLookupDenied', retryable: false });
      expect(result!.message).toMatch(
        /^s3_enable_versioning failed: cannot read the tags of AWS::S3::Bucket data-bucket .* redeploy the member-role stacks/,
      );
    });

    it('fails the invocation so it is retried when the lookup is throttled, running no bot', async () => {
      s3.on(GetBucketTaggingCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
      await expect(handler(securityHubS3('data-bucket'))).rejects.toMatchObject({
        name: 'RetryableFailureError',
        message:
          '1 remediation(s) failed with transient errors and will be retried: s3_enable_versioning on data-bucket: ThrottlingException',
      });
      expect(s3.commandCalls(GetBucketVersioningCommand)).toHaveLength(0);
      // Not published as failed: the retry will report what happens.
      expect(published()).toEqual([]);
    });
  });
});
