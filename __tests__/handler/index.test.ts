import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { handler, resetContainer } from '../../handler';
import { fixture } from '../fixtures/load';
import { runtimeConfig } from './support';
import { tempDirForFile } from '../support/temp-dir';

const sts = mockClient(STSClient);
const sns = mockClient(SNSClient);
const s3 = mockClient(S3Client);
afterAll(() => {
  sts.restore();
  sns.restore();
  s3.restore();
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

let lines: Record<string, any>[];
beforeEach(() => {
  sts.reset();
  sns.reset();
  s3.reset();
  process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = TOPIC;
  delete process.env.CLOUDMEND_DRY_RUN;
  useConfig();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIAMEMBER', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 900_000) },
  });
  sns.on(PublishBatchCommand).resolves({ Failed: [] });
  s3.on(GetBucketVersioningCommand).resolves({});
  s3.on(PutBucketVersioningCommand).resolves({});
  lines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    lines.push(JSON.parse(String(chunk)));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

function published(): any[] {
  return sns.commandCalls(PublishBatchCommand).flatMap((c) => c.args[0].input.PublishBatchRequestEntries!.map((e) => JSON.parse(e.Message!)));
}

describe('the Lambda handler', () => {
  it('remediates a CloudGuard finding from SNS in the member account, logs one line and publishes one message per result', async () => {
    const response = await handler({ Records: [snsCloudGuard('data-bucket')] }, { awsRequestId: 'req-1' });

    expect(response).toEqual({ results: { remediated: 1 }, dryRun: false });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toMatchObject({
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
    const response = await handler({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'x', Message: '{oops' } }, { EventSource: 'aws:sns', Sns: { MessageId: 'y', Message: passed } }] });
    expect(response).toEqual({ results: { failed: 1, skipped: 1 }, dryRun: false });
    expect(published().map((r) => r.errorName)).toEqual(['malformed-event', 'finding-passed']);
  });

  it('reports a permanent bot failure and does not ask for a retry', async () => {
    s3.on(GetBucketVersioningCommand).rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }));
    const response = await handler({ Records: [snsCloudGuard('gone-bucket')] });
    expect(response).toEqual({ results: { failed: 1 }, dryRun: false });
    expect(published()[0]).toMatchObject({ status: 'failed', errorName: 'NoSuchBucket', retryable: false });
  });

  it('throws on a transient failure so Lambda retries the event, after reporting every result', async () => {
    s3.on(GetBucketVersioningCommand, { Bucket: 'busy-bucket' }).rejects(
      Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    );
    await expect(handler({ Records: [snsCloudGuard('busy-bucket', 'a'), snsCloudGuard('data-bucket', 'b')] })).rejects.toMatchObject({
      name: 'RetryableRemediationFailure',
      message: '1 remediation(s) failed with transient errors and will be retried: s3_enable_versioning on busy-bucket: SlowDown',
    });
    expect(published().map((r) => [r.resource.id, r.status])).toEqual([['busy-bucket', 'failed'], ['data-bucket', 'remediated']]);
  });

  it('returns only the SQS records with transient failures as batch item failures', async () => {
    s3.on(GetBucketVersioningCommand, { Bucket: 'busy-bucket' }).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
    );
    const toSqs = (bucket: string) => ({ Type: 'Notification', MessageId: bucket, TopicArn: 'arn:aws:sns:us-east-1:111111111111:in', Message: snsCloudGuard(bucket).Sns.Message });
    const response = await handler({
      Records: [sqsRecord('m-ok', toSqs('data-bucket')), sqsRecord('m-busy', toSqs('busy-bucket')), { messageId: 'm-bad', eventSource: 'aws:sqs', body: 'nope' }],
    });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-busy' }] });
    expect(published().map((r) => [r.recordId, r.status])).toEqual([['m-bad', 'failed'], ['m-ok', 'remediated'], ['m-busy', 'failed']]);
  });

  it('fails the invocation when the report cannot be published, after logging the results', async () => {
    sns.on(PublishBatchCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFound' }));
    await expect(handler({ Records: [snsCloudGuard('data-bucket')] })).rejects.toMatchObject({ name: 'ReportPublishFailed' });
    expect(lines.filter((l) => l.result).map((l) => l.result.status)).toEqual(['remediated']);
    expect(lines.find((l) => l.level === 'ERROR')!.message).toBe('report publish failed; failing the invocation so it is retried');
  });

  it('fails the invocation (so the event is kept) when the runtime config is missing', async () => {
    process.env.CLOUDMEND_RUNTIME_CONFIG = join(dir, 'nowhere.json');
    resetContainer();
    await expect(handler({ Records: [snsCloudGuard('data-bucket')] })).rejects.toMatchObject({ name: 'RuntimeConfigError' });
  });
});
