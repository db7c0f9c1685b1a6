/**
 * Write-back end to end through the real Lambda entry against moto, for what
 * moto 5.2.1 serves: the chat message published to a real (emulated) SNS topic
 * and read back from a subscribed queue, and GuardDuty's ListDetectors.
 * moto does not serve GuardDuty ArchiveFindings nor Security Hub
 * BatchUpdateFindings (their exact calls are specified with aws-sdk-client-mock
 * in guardduty.test.ts and security-hub.test.ts); here the archive call fails
 * against moto, which proves the other promise: a failed write-back is reported
 * on the results and never fails the remediation.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { handler, resetContainer } from '../../../handler';
import { fixture } from '../../fixtures/load';
import { describeMoto, memberSession } from '../../support/moto';
import { tempDirForFile } from '../../support/temp-dir';
import { runtimeConfig } from '../support';
import { ChatbotCustomNotification } from './chatbot-schema';

const MEMBER = '222222222222';
const REGION = 'us-east-1';
const dir = tempDirForFile('cloudmend-feedback-');

describeMoto('write-back against moto', () => {
  let logged: string[];
  let queueUrl: string;

  beforeEach(async () => {
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(
        runtimeConfig({
          enabledBots: ['s3_block_all_public_access'],
          externalId: 'cloudmend',
          mappings: {
            guardduty: { 'Policy:S3/BucketBlockPublicAccessDisabled': ['s3_block_all_public_access'] },
            securityHub: {},
            config: {},
          },
          report: { securityHub: 'off', guardDuty: { archive: true }, chat: { enabled: true, topic: 'own' } },
        }),
      ),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    const sns = new SNSClient({ region: REGION });
    const sqs = new SQSClient({ region: REGION });
    const results = await sns.send(new CreateTopicCommand({ Name: 'cloudmend-results' }));
    const chat = await sns.send(new CreateTopicCommand({ Name: 'cloudmend-chat-us-east-1' }));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'chat-channel' }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!
      .QueueArn!;
    await sns.send(
      new SubscribeCommand({ TopicArn: chat.TopicArn!, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }),
    );
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = results.TopicArn!;
    process.env.CLOUDMEND_CHAT_TOPIC_ARN = chat.TopicArn!;
    resetContainer();
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
    delete process.env.CLOUDMEND_CHAT_TOPIC_ARN;
    resetContainer();
  });

  const results = (): any[] =>
    logged
      .map((l) => JSON.parse(l))
      .filter((l) => l.result)
      .map((l) => l.result);

  async function chatMessages(): Promise<any[]> {
    const received = await new SQSClient({ region: REGION }).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return (received.Messages ?? []).map((m) => JSON.parse(m.Body!));
  }

  it('a GuardDuty finding on two buckets: both fixed, one chat message for GuardDuty’s one finding, and the archive that moto cannot do is reported, not fatal', async () => {
    const s3 = (await memberSession(MEMBER, REGION)).client(S3Client);
    for (const bucket of ['logs-a', 'logs-b']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const detector = await new GuardDutyClient({ region: REGION }).send(new CreateDetectorCommand({ Enable: true }));
    expect(detector.DetectorId).toBeTruthy();
    const event = fixture('guardduty-s3-buckets.json');
    event.region = event.detail.region = REGION;

    expect(await handler(event)).toEqual({ results: { remediated: 2 }, dryRun: false });
    for (const bucket of ['logs-a', 'logs-b']) {
      const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
      expect(block.PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
    }

    const messages = await chatMessages();
    expect(messages).toHaveLength(1);
    expect(ChatbotCustomNotification.parse(messages[0])).toEqual(messages[0]);
    // Severity 2 is low in GuardDuty's bands: blue.
    expect(messages[0].content.title).toBe('🔵 s3_block_all_public_access remediated bucket logs-a, logs-b in account 222222222222');
    expect(messages[0].content.description).toMatch(
      /\n• \*s3_block_all_public_access\* remediated on logs-a: .+\n(.|\n)*• \*s3_block_all_public_access\* remediated on logs-b: /,
    );
    expect(messages[0].content.nextSteps).toEqual([
      expect.stringMatching(
        /^Open the finding: https:\/\/console\.aws\.amazon\.com\/guardduty\/home\?region=us-east-1#\/findings\?macros=current&fId=9ac9a1b2c3d4e5f60718293a4b5c6d70$/,
      ),
    ]);

    for (const result of results()) {
      expect(result.status).toBe('remediated');
      expect(result.writeBacks).toEqual(
        expect.arrayContaining([
          { to: 'chat', status: 'written', detail: `published to ${process.env.CLOUDMEND_CHAT_TOPIC_ARN}` },
          // ListDetectors found moto's detector (else: "no GuardDuty detector"); ArchiveFindings is what moto lacks.
          { to: 'guardduty', status: 'failed', detail: expect.stringMatching(/^ArchiveFindings failed: /) },
        ]),
      );
    }
  });
});
