/**
 * Chat-ready results in the AWS Chatbot custom-notification format, one per
 * finding, each validated against the documented schema (./chatbot-schema.ts).
 */
import { mockClient } from 'aws-sdk-client-mock';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { chatMessagesFor, consoleLinkOf, DESCRIPTION_MAX, MAX_KEYWORDS, TITLE_MAX } from '../../../handler/feedback/chatbot';
import type { SourcedFinding } from '../../../handler/sources/types';
import { ChatbotCustomNotification } from './chatbot-schema';
import { guardDutyEvent, REGION, REPORT_ALL, remediated, run, scriptedBot, securityHubEvent } from './support';

const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => {
  sns.reset();
  sns.on(PublishBatchCommand).resolves({ Failed: [] });
});

const CHAT_TOPIC = 'arn:aws:sns:us-east-1:111111111111:cloudmend-chat-us-east-1';
const feedback = { region: REGION, sns: async () => new SNSClient({ region: REGION }), chatTopicArn: CHAT_TOPIC };
const REPORT = { ...REPORT_ALL, securityHub: 'off' as const, guardDuty: { archive: false } };
const S38 = { securityHub: { 'S3.8': ['block_public', 'log_bucket'] } };
const published = () =>
  sns.commandCalls(PublishBatchCommand).flatMap((c) =>
    c.args[0].input.PublishBatchRequestEntries!.map((e) => ({
      topic: c.args[0].input.TopicArn,
      attributes: e.MessageAttributes,
      message: JSON.parse(e.Message!),
    })),
  );

describe('chat messages', () => {
  it('one per finding, not per bot: what each bot did, on which resource, in which account, with a link to the finding', async () => {
    const outcome = await run(securityHubEvent(), {
      bots: [
        scriptedBot('block_public', remediated('blocked public access on bucket example in account 222222222222')),
        scriptedBot('log_bucket', { status: 'already-compliant', message: 'access logging already on', changes: [] }),
      ],
      mappings: S38,
      report: REPORT,
      feedback,
    });
    const messages = published();
    expect(messages).toHaveLength(1);
    const [{ topic, attributes, message }] = messages as [any];
    expect(topic).toBe(CHAT_TOPIC);
    expect(attributes).toEqual({ format: { DataType: 'String', StringValue: 'chatbot' } });
    expect(ChatbotCustomNotification.parse(message)).toEqual(message);
    expect(message.content.title).toBe('🟠 block_public, log_bucket remediated bucket example in account 222222222222');
    expect(message.content.description).toBe(
      [
        'S3.8 S3 Block Public Access setting should be enabled at the bucket-level (securityhub, us-east-1)',
        '• *block_public* remediated: blocked public access on bucket example in account 222222222222',
        '   ◦ blocked public access on bucket example (all four settings)',
        '• *log_bucket* already-compliant: access logging already on',
      ].join('\n'),
    );
    expect(message.content.keywords).toEqual(['HIGH', 'remediated', 'securityhub', 'S3.8', '222222222222', 'us-east-1']);
    expect(message.content.nextSteps).toEqual([
      expect.stringMatching(
        /^Open the finding: https:\/\/console\.aws\.amazon\.com\/securityhub\/home\?region=us-east-1#\/findings\?search=Id%253D/,
      ),
    ]);
    expect(message.metadata.relatedResources).toEqual(['arn:aws:s3:::example']);
    expect(message.metadata.additionalContext.resultIds).toBe(outcome.results.map((r) => r.resultId).join(','));
    expect(outcome.results.map((r) => r.writeBacks)).toEqual([
      [{ to: 'chat', status: 'written', detail: `published to ${CHAT_TOPIC}` }],
      [{ to: 'chat', status: 'written', detail: `published to ${CHAT_TOPIC}` }],
    ]);
  });

  it('the colour mark follows the severity; a failure outranks a fix in the title, and the next step says what to do', async () => {
    await run(
      securityHubEvent(1, (f) => {
        f.Severity.Label = 'CRITICAL';
      }),
      {
        bots: [scriptedBot('block_public', remediated()), scriptedBot('log_bucket', new Error('Access Denied'))],
        mappings: S38,
        report: REPORT,
        feedback,
      },
    );
    const [{ message }] = published() as [any];
    expect(ChatbotCustomNotification.safeParse(message).success).toBe(true);
    expect(message.content.title).toBe('🔴 block_public, log_bucket failed bucket example in account 222222222222');
    expect(message.content.keywords.slice(0, 2)).toEqual(['CRITICAL', 'failed']);
    expect(message.content.nextSteps[0]).toMatch(/^Read the failed result/);
    expect(message.metadata.eventType).toBe('cloudmend-failed');
  });

  it('ten messages per PublishBatch, one thread per finding, and long content is cut to our bounds', async () => {
    await run(
      securityHubEvent(12, (f) => {
        f.Title = 'T'.repeat(5000);
      }),
      {
        bots: [scriptedBot('block_public', remediated('m'.repeat(5000)))],
        mappings: { securityHub: { 'S3.8': ['block_public'] } },
        report: REPORT,
        feedback,
      },
    );
    expect(sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries!.length)).toEqual([10, 2]);
    const messages = published().map((p: any) => p.message);
    expect(new Set(messages.map((m) => m.metadata.threadId)).size).toBe(12);
    for (const m of messages) {
      expect(ChatbotCustomNotification.safeParse(m).success).toBe(true);
      expect(Array.from(m.content.description as string).length).toBeLessThanOrEqual(DESCRIPTION_MAX);
      expect(Array.from(m.content.title as string).length).toBeLessThanOrEqual(TITLE_MAX);
      expect(m.content.keywords.length).toBeLessThanOrEqual(MAX_KEYWORDS);
    }
  });

  it('a GuardDuty finding naming two buckets is one finding to its reader: one message naming both', async () => {
    await run(guardDutyEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: { guardduty: { 'Policy:S3/BucketBlockPublicAccessDisabled': ['block_public'] } },
      report: REPORT,
      feedback,
    });
    const messages = published().map((p: any) => p.message);
    expect(messages).toHaveLength(1);
    expect(messages[0].content.title).toBe('🔵 block_public remediated bucket logs-a, logs-b in account 222222222222');
    expect(messages[0].metadata.relatedResources).toEqual(['arn:aws:s3:::logs-a', 'arn:aws:s3:::logs-b']);
    expect(messages[0].metadata.additionalContext.findingId).toBe('9ac9a1b2c3d4e5f60718293a4b5c6d70');
  });

  it('a failed publish is reported on the results of that finding; the remediation stands', async () => {
    sns.on(PublishBatchCommand).rejects(Object.assign(new Error('topic does not exist'), { name: 'NotFoundException' }));
    const outcome = await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: { securityHub: { 'S3.8': ['block_public'] } },
      report: REPORT,
      feedback,
    });
    expect(outcome.results[0]!.status).toBe('remediated');
    expect(outcome.results[0]!.writeBacks).toEqual([
      { to: 'chat', status: 'failed', detail: 'chat message not published: NotFoundException: topic does not exist' },
    ]);
  });

  it('nothing for rejections of a whole finding (they stay in the results topic), nor when chat is off', async () => {
    await run(securityHubEvent(), { bots: [scriptedBot('block_public', remediated())], mappings: {}, report: REPORT, feedback });
    await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: { securityHub: { 'S3.8': ['block_public'] } },
      report: { ...REPORT, chat: { enabled: false, topic: 'own' } },
      feedback,
    });
    expect(published()).toEqual([]);
  });
});

describe('console links', () => {
  const finding = (source: SourcedFinding['source'], partition = 'aws', raw: unknown = {}): SourcedFinding => ({
    source,
    id: 'arn:aws:securityhub:eu-west-1:1:subscription/x/finding/abc',
    rule: 's3-bucket-versioning-enabled',
    severity: 'high',
    status: 'FAILED',
    partition,
    account: '222222222222',
    region: 'eu-west-1',
    resource: { type: 'AWS::S3::Bucket', id: 'b' },
    requestedActions: [],
    raw,
    notes: [],
  });

  it.each([
    ['securityhub', 'aws', {}, /^https:\/\/console\.aws\.amazon\.com\/securityhub\/home\?region=eu-west-1#\/findings\?search=/],
    [
      'guardduty',
      'aws',
      { detail: { id: 'gd-1' } },
      /^https:\/\/console\.aws\.amazon\.com\/guardduty\/home\?region=eu-west-1#\/findings\?macros=current&fId=gd-1$/,
    ],
    [
      'config',
      'aws-cn',
      {},
      /^https:\/\/console\.amazonaws\.cn\/config\/home\?region=eu-west-1#\/rules\/details\?configRuleName=s3-bucket-versioning-enabled$/,
    ],
    ['securityhub', 'aws-us-gov', {}, /^https:\/\/console\.amazonaws-us-gov\.com\/securityhub\//],
  ] as const)('%s in %s', (source, partition, raw, expected) => {
    expect(consoleLinkOf(finding(source, partition, raw))).toMatch(expected);
  });

  it('the Security Hub link filters on exactly this finding id', () => {
    const link = consoleLinkOf(finding('securityhub'))!;
    const search = decodeURIComponent(decodeURIComponent(link.split('search=')[1]!));
    expect(search).toBe('Id=\\operator\\:EQUALS\\:arn:aws:securityhub:eu-west-1:1:subscription/x/finding/abc');
  });

  it('none for CloudGuard (its console is outside AWS); the message still validates', () => {
    const f = finding('cloudguard');
    expect(consoleLinkOf(f)).toBeUndefined();
    const messages = chatMessagesFor(
      [
        {
          resultId: 'r-1',
          findingId: f.id,
          source: 'cloudguard',
          bot: 'b',
          status: 'remediated',
          message: 'm',
          changes: [],
          durationMs: 1,
          retryable: false,
          dryRun: false,
        },
      ],
      [f],
      false,
    );
    expect(messages).toHaveLength(1);
    const message = messages[0]!.message;
    expect(ChatbotCustomNotification.safeParse(message).success).toBe(true);
  });
});
