/**
 * `cloudmend redrive` against moto's SQS, S3, STS and SNS: dead-letter messages
 * of each shape are replayed through the handler's own code; only what
 * succeeded is deleted, what failed stays in the queue, visible again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { run } from '../../cli/redrive';
import { fixture } from '../fixtures/load';
import { runtimeConfig } from '../handler/support';
import { describeMoto, memberSession } from '../support/moto';
import { tempDirForFile } from '../support/temp-dir';

const SECURITY = '123456789012'; // moto's own account: the queue and topic live there
const MEMBER = '222222222222';
const REGION = 'us-east-1';
const dir = tempDirForFile('cloudmend-redrive-');
const runtimeJson = join(dir, 'cloudmend.runtime.json');
writeFileSync(
  runtimeJson,
  JSON.stringify(
    runtimeConfig({
      securityAccount: SECURITY,
      enabledBots: ['s3_enable_versioning'],
      mappings: { guardduty: {}, securityHub: {}, config: { 's3-bucket-versioning-enabled': ['s3_enable_versioning'] } },
      externalId: 'cloudmend',
      accounts: { [SECURITY]: 'Root/Security', [MEMBER]: 'Root/Workloads' },
      regions: [REGION],
    }),
  ),
);

function configEvent(bucket: string) {
  const event = fixture('config-s3-versioning.json');
  event.account = event.detail.awsAccountId = MEMBER;
  event.region = event.detail.awsRegion = REGION;
  event.detail.resourceId = event.detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier.resourceId = bucket;
  return event;
}

/** What Lambda's on-failure destination writes after the async retries. */
const lambdaFailureRecord = (event: unknown) => ({
  version: '1.0',
  timestamp: '2026-11-30T10:00:00.000Z',
  requestContext: {
    requestId: 'r-1',
    functionArn: `arn:aws:lambda:${REGION}:${SECURITY}:function:cloudmend-handler-${REGION}`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: event,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'RetryableRemediationFailure', errorMessage: 'throttled' },
});

/** What SNS writes when it cannot deliver to the Lambda subscription. */
const snsNotification = (event: unknown) => ({
  Type: 'Notification',
  MessageId: 'sns-1',
  TopicArn: `arn:aws:sns:${REGION}:${SECURITY}:cloudmend-findings-${REGION}`,
  Message: JSON.stringify(event),
  Timestamp: '2026-11-30T10:00:00.000Z',
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
    cwd: dir,
    env: {},
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describeMoto('cloudmend redrive', () => {
  let sqs: SQSClient;
  let queueUrl: string;
  let resultsCopy: string;
  let s3: S3Client;

  beforeEach(async () => {
    sqs = new SQSClient({ region: REGION });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `cloudmend-dlq-${REGION}` }))).QueueUrl!;
    // The results topic, copied into a queue so the test can read what was published.
    const sns = new SNSClient({ region: REGION });
    const topic = await sns.send(new CreateTopicCommand({ Name: `cloudmend-results-${REGION}` }));
    resultsCopy = (await sqs.send(new CreateQueueCommand({ QueueName: 'results-copy' }))).QueueUrl!;
    const copyArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resultsCopy, AttributeNames: ['QueueArn'] }))).Attributes!
      .QueueArn!;
    await sns.send(
      new SubscribeCommand({ TopicArn: topic.TopicArn!, Protocol: 'sqs', Endpoint: copyArn, Attributes: { RawMessageDelivery: 'true' } }),
    );
    s3 = (await memberSession(MEMBER)).client(S3Client);
  });

  const send = (body: unknown) =>
    sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }));
  const remaining = async () => {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    return (got.Messages ?? []).map((m) => m.Body!).sort();
  };
  const versioning = async (bucket: string) => (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;

  it('replays each shape the DLQ holds, deletes what succeeded and keeps what failed, visible again', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'redrive-async' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'redrive-sns' }));
    await send(lambdaFailureRecord(configEvent('redrive-async')));
    await send(snsNotification(configEvent('redrive-sns')));
    const missing = JSON.stringify(configEvent('redrive-missing-bucket')); // an EventBridge event whose bot fails
    await send(missing);
    await send('not json at all');

    const console = io();
    expect(await run(['--region', REGION, '--config', runtimeJson], console)).toBe(1);

    expect(await versioning('redrive-async')).toBe('Enabled');
    expect(await versioning('redrive-sns')).toBe('Enabled');
    expect(await remaining()).toEqual([missing, 'not json at all'].sort());
    const out = console.stdout();
    expect(out).toContain('4 replayed: 2 deleted, 2 kept in the queue (2 failed).');
    expect(out).toMatch(/lambda-async\s+deleted\s+1 remediated/);
    expect(out).toMatch(/sns\s+deleted\s+1 remediated/);
    expect(out).toMatch(/eventbridge\s+kept\s+1 failed: s3_enable_versioning failed: /);
    expect(out).toMatch(/unreadable\s+kept\s+body is not JSON/);

    // Published like the handler's own results: the two remediations and the failure.
    const published = await sqs.send(new ReceiveMessageCommand({ QueueUrl: resultsCopy, MaxNumberOfMessages: 10 }));
    expect((published.Messages ?? []).map((m) => JSON.parse(m.Body!).status).sort()).toEqual(['failed', 'remediated', 'remediated']);
  });

  it('in dry run changes nothing, deletes nothing, publishes nothing', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'redrive-dry' }));
    const body = JSON.stringify(configEvent('redrive-dry'));
    await send(body);

    const console = io();
    expect(await run(['--region', REGION, '--config', runtimeJson, '--dry-run'], console)).toBe(0);
    expect(console.stdout()).toMatch(/eventbridge\s+kept\s+1 dry-run/);
    expect(await versioning('redrive-dry')).toBeUndefined();
    expect(await remaining()).toEqual([body]);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: resultsCopy }))).Messages ?? []).toEqual([]);
  });

  it('replays at most --max messages', async () => {
    for (const bucket of ['redrive-max-1', 'redrive-max-2', 'redrive-max-3']) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await send(configEvent(bucket));
    }
    const console = io();
    expect(await run(['--region', REGION, '--config', runtimeJson, '--max', '1'], console)).toBe(0);
    expect(console.stdout()).toContain('1 replayed: 1 deleted, 0 kept in the queue.');
    expect(await remaining()).toHaveLength(2);
  });

  it('says so and exits 0 on an empty queue', async () => {
    const console = io();
    expect(await run(['--region', REGION, '--config', runtimeJson], console)).toBe(0);
    expect(console.stdout()).toBe(`The dead-letter queue ${queueUrl} is empty: nothing to replay.\n`);
  });

  it('says which queue is missing, and exits 1, where no handler stack is deployed', async () => {
    const console = io();
    expect(await run(['--region', 'eu-west-1', '--config', runtimeJson], console)).toBe(1);
    expect(console.stderr()).toContain(
      `there is no queue cloudmend-dlq-eu-west-1 in eu-west-1 of account ${SECURITY}: is the handler stack deployed in that region`,
    );
  });

  it('rejects usage errors with exit code 2', async () => {
    const console = io();
    expect(await run(['--config', runtimeJson], console)).toBe(2);
    expect(console.stderr()).toContain('--region is required');
    expect(await run(['--region', REGION, '--max', 'zero', '--config', runtimeJson], io())).toBe(2);
  });
});
