/**
 * The exclusion tag on the types these bots brought (SQS queues, SNS topics),
 * end to end through the handler against moto: an AWS Config finding (which
 * carries no tags) on a queue or topic tagged for exclusion is skipped on the
 * live tags and the resource left as it was; an untagged one is remediated.
 * Redshift clusters are not covered here: moto 5.2.1's tag:GetResources does
 * not list them (handler/resource-tags unit tests cover the cluster ARN).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient, TagResourceCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { handler, resetContainer } from '../../../handler';
import type { RemediationResult } from '../../../handler/report';
import { fixture } from '../../fixtures/load';
import { runtimeConfig } from '../../handler/support';
import { describeMoto, memberSession } from '../../support/moto';
import { tempDirForFile } from '../../support/temp-dir';

const MEMBER = '222222222222';
const REGION = 'us-east-1';
const dir = tempDirForFile('cloudmend-datasvc-exclusion-');

function configEvent(rule: string, resourceType: string, resourceId: string) {
  const event = fixture('config-s3-versioning.json');
  event.account = event.detail.awsAccountId = MEMBER;
  event.region = event.detail.awsRegion = REGION;
  event.detail.configRuleName = rule;
  event.detail.resourceType = resourceType;
  const qualifier = event.detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier;
  qualifier.configRuleName = rule;
  qualifier.resourceType = resourceType;
  event.detail.resourceId = qualifier.resourceId = resourceId;
  return event;
}

describeMoto('exclusion tag on SQS queues and SNS topics, through the handler', () => {
  let logged: string[];
  beforeEach(async () => {
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(
        runtimeConfig({
          enabledBots: ['sqs_enable_encryption', 'sns_enable_encryption'],
          externalId: 'cloudmend',
          exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
          regions: [REGION],
        }),
      ),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    const results = await new SNSClient({ region: REGION }).send(new CreateTopicCommand({ Name: 'cloudmend-results' }));
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = results.TopicArn!;
    resetContainer();
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
  });

  const results = (): RemediationResult[] =>
    logged.flatMap((line) => {
      const parsed = JSON.parse(line) as { result?: RemediationResult };
      return parsed.result ? [parsed.result] : [];
    });

  it('leaves a queue tagged for exclusion unencrypted and encrypts an untagged one (Config names queues by URL, as the endpoint that served them gives it)', async () => {
    const sqs = (await memberSession(MEMBER, REGION)).client(SQSClient);
    const excluded = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'excluded-queue',
        Attributes: { SqsManagedSseEnabled: 'false' },
        tags: { 'cloudmend:exclude': 'true' },
      }),
    );
    const plain = await sqs.send(new CreateQueueCommand({ QueueName: 'plain-queue', Attributes: { SqsManagedSseEnabled: 'false' } }));
    const sse = async (url: string | undefined) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['SqsManagedSseEnabled'] }))).Attributes
        ?.SqsManagedSseEnabled;

    expect(await handler(configEvent('sqs-queue-encrypted', 'AWS::SQS::Queue', excluded.QueueUrl!))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(results()[0]).toMatchObject({
      resource: { type: 'AWS::SQS::Queue', id: 'excluded-queue' },
      status: 'skipped',
      errorName: 'resource-excluded',
    });
    expect(await sse(excluded.QueueUrl)).toBe('false');

    expect(await handler(configEvent('sqs-queue-encrypted', 'AWS::SQS::Queue', plain.QueueUrl!))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
    expect(await sse(plain.QueueUrl)).toBe('true');
  });

  it('leaves a topic tagged for exclusion unencrypted and encrypts an untagged one', async () => {
    const sns = (await memberSession(MEMBER, REGION)).client(SNSClient);
    const excluded = (await sns.send(new CreateTopicCommand({ Name: 'excluded-topic' }))).TopicArn!;
    await sns.send(new TagResourceCommand({ ResourceArn: excluded, Tags: [{ Key: 'cloudmend:exclude', Value: 'true' }] }));
    const plain = (await sns.send(new CreateTopicCommand({ Name: 'plain-topic' }))).TopicArn!;
    const key = async (arn: string) => (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes?.KmsMasterKeyId;

    expect(await handler(configEvent('sns-encrypted-kms', 'AWS::SNS::Topic', excluded))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(results()[0]).toMatchObject({
      resource: { type: 'AWS::SNS::Topic', id: 'excluded-topic' },
      status: 'skipped',
      errorName: 'resource-excluded',
    });
    expect(await key(excluded)).toBeUndefined();

    expect(await handler(configEvent('sns-encrypted-kms', 'AWS::SNS::Topic', plain))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
    expect(await key(plain)).toBe('alias/aws/sns');
  });
});
