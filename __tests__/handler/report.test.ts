import { mockClient } from 'aws-sdk-client-mock';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { createLogger } from '../../handler/log';
import { reject } from '../../handler/rejection';
import {
  logResults,
  publishBatches,
  publishResults,
  resultsToPublish,
  resultOfRejection,
  resultOfRun,
  type RemediationResult,
} from '../../handler/report';
import type { SourcedFinding } from '../../handler/sources/types';
import { fixBucket } from './support';
import { awsError } from '../support/aws-error';

const sns = mockClient(SNSClient);
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:cloudmend-results';

const finding: SourcedFinding = {
  source: 'securityhub',
  id: 'sh-1',
  rule: 'S3.8',
  severity: 'high',
  status: 'FAILED',
  partition: 'aws',
  account: '222222222222',
  region: 'us-east-1',
  resource: { type: 'AWS::S3::Bucket', id: 'data-bucket', raw: { big: true } },
  requestedActions: [],
  raw: { big: true },
  notes: ['assumed something'],
  recordId: 'msg-1',
};
const run = { finding, bot: fixBucket, params: {}, requestedBy: 'config mapping' as const };
const change = { action: 's3:PutBucketAcl', target: 'arn:aws:s3:::data-bucket', description: 'acl -> private', applied: true };

describe('results', () => {
  it('one per bot run: what, where, outcome, changes, duration; never the raw finding', () => {
    const result = resultOfRun({ run, result: { status: 'remediated', message: 'fixed', changes: [change] }, durationMs: 12.345 }, false);
    expect(result).toEqual({
      resultId: expect.stringMatching(/^r-[0-9a-f]{24}$/),
      findingId: 'sh-1',
      source: 'securityhub',
      rule: 'S3.8',
      account: '222222222222',
      region: 'us-east-1',
      resource: { type: 'AWS::S3::Bucket', id: 'data-bucket' },
      bot: 'fix_bucket',
      status: 'remediated',
      message: 'fixed',
      changes: [change],
      durationMs: 12.3,
      retryable: false,
      dryRun: false,
      notes: ['assumed something'],
      recordId: 'msg-1',
    });
  });

  it('a failed run carries the error name, says whether it will be retried', () => {
    const result = resultOfRun(
      { run, error: { name: 'ThrottlingException', message: 'Rate exceeded', retryable: true }, durationMs: 3 },
      false,
    );
    expect(result).toMatchObject({
      status: 'failed',
      errorName: 'ThrottlingException',
      retryable: true,
      message: 'fix_bucket failed: Rate exceeded (transient: retried)',
    });
  });

  it('a rejection is skipped or failed (bad input or config), with its code as error name, never retryable', () => {
    expect(resultOfRejection(reject('bot-not-enabled', 'not enabled', { finding, bot: 'fix_bucket' }), true)).toMatchObject({
      findingId: 'sh-1',
      status: 'skipped',
      bot: 'fix_bucket',
      errorName: 'bot-not-enabled',
      retryable: false,
      dryRun: true,
      recordId: 'msg-1',
    });
    expect(resultOfRejection(reject('malformed-event', 'not JSON', { recordId: 'm-9' }), false)).toEqual({
      findingId: 'm-9',
      source: 'unknown',
      status: 'failed',
      message: 'not JSON',
      changes: [],
      durationMs: 0,
      errorName: 'malformed-event',
      retryable: false,
      dryRun: false,
      recordId: 'm-9',
    });
  });

  it('logs one JSON line per result, failures as warnings', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), now: () => new Date('2026-11-23T10:00:00Z') });
    const results = [
      resultOfRejection(reject('finding-passed', 'passed', { finding }), false),
      resultOfRejection(reject('unknown-bot', 'no bot named "x"', { finding }), false),
    ];
    logResults(results, log);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { level: 'INFO', message: 'skipped: passed', timestamp: '2026-11-23T10:00:00.000Z', service: 'cloudmend', result: results[0] },
      {
        level: 'WARN',
        message: 'failed: no bot named "x"',
        timestamp: '2026-11-23T10:00:00.000Z',
        service: 'cloudmend',
        result: results[1],
      },
    ]);
  });
});

function results(n: number): RemediationResult[] {
  return Array.from({ length: n }, (_, i) =>
    resultOfRun({ run, result: { status: 'remediated', message: `fixed ${i}`, changes: [] }, durationMs: 1 }, false),
  );
}

describe('publishing to the output topic', () => {
  it('sends PublishBatch with one entry per result: JSON message, subject, filterable attributes', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: 'r0' }], Failed: [] });
    const [result] = results(1);
    await publishResults([result!], { topicArn: TOPIC, sns: async () => new SNSClient({ region: 'us-east-1' }) });
    expect(sns.commandCalls(PublishBatchCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      PublishBatchRequestEntries: [
        {
          Id: 'r0',
          Subject: 'cloudmend remediated: fix_bucket on data-bucket',
          Message: JSON.stringify(result),
          MessageAttributes: {
            status: { DataType: 'String', StringValue: 'remediated' },
            source: { DataType: 'String', StringValue: 'securityhub' },
            account: { DataType: 'String', StringValue: '222222222222' },
            bot: { DataType: 'String', StringValue: 'fix_bucket' },
          },
        },
      ],
    });
  });

  it('sends at most 10 entries per call, every result once, in order', async () => {
    sns.on(PublishBatchCommand).resolves({ Failed: [] });
    await publishResults(results(23), { topicArn: TOPIC, sns: async () => new SNSClient({ region: 'us-east-1' }) });
    const calls = sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries!.map((e) => e.Id));
    expect(calls.map((ids) => ids.length)).toEqual([10, 10, 3]);
    expect(calls.flat()).toEqual(Array.from({ length: 23 }, (_, i) => `r${i}`));
  });

  it('splits by size too (SNS takes 256 KiB per call)', () => {
    const big = results(3).map((r) => ({
      ...r,
      changes: Array.from({ length: 500 }, () => ({ ...change, description: 'x'.repeat(100) })),
    }));
    const batches = publishBatches(big);
    expect(batches.map((b) => b.map((e) => e.Id))).toEqual([['r0', 'r1'], ['r2']]);
    expect(JSON.parse(batches[0]![0]!.Message!).changes).toHaveLength(500);
  });

  it('trims the changes of a giant result to a count (the log line keeps them all)', () => {
    const [giant] = results(1).map((r) => ({
      ...r,
      changes: Array.from({ length: 3000 }, () => ({ ...change, description: 'x'.repeat(100) })),
    }));
    expect(JSON.parse(publishBatches([giant!])[0]![0]!.Message!)).toMatchObject({ changes: [], changesOmitted: 3000, bot: 'fix_bucket' });
  });

  it('cuts a result whose message and notes alone are over the limit, saying so, so the invocation is not failed forever', () => {
    const [huge] = results(1).map((r) => ({ ...r, message: `é${'m'.repeat(400_000)}`, notes: ['n'.repeat(300_000)], changes: [change] }));
    const message = publishBatches([huge!])[0]?.[0]?.Message ?? '';
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(200 * 1024);
    const published = JSON.parse(message);
    expect(published).toMatchObject({ bot: 'fix_bucket', status: huge!.status, changes: [], changesOmitted: 1 });
    expect(published.message.startsWith('émmm')).toBe(true);
    expect(published.trimmed).toBe(
      `the result was ${Buffer.byteLength(JSON.stringify(huge))} bytes, over SNS's limit: its message and notes are cut here; the handler's log line has it whole`,
    );
  });

  it('leaves out of the notifications a transient failure that changed nothing (its retry reports), never one that wrote', () => {
    const [ok, transient, wrote, permanent] = results(4);
    const all = [
      ok!,
      { ...transient!, status: 'failed' as const, retryable: true, changes: [] },
      { ...wrote!, status: 'failed' as const, retryable: true, changes: [change] },
      { ...permanent!, status: 'failed' as const, retryable: false, changes: [] },
    ];
    expect(resultsToPublish(all)).toEqual([all[0], all[2], all[3]]);
  });

  it('keeps subjects ASCII and under 100 characters', () => {
    const [r] = results(1);
    const entry = publishBatches([{ ...r!, resource: { type: 'AWS::S3::Bucket', id: `bücket-${'x'.repeat(200)}` } }])[0]![0]!;
    expect(entry.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(entry.Subject).toContain('b?cket');
  });

  it('throws naming the failed entries when SNS rejects some, after trying every batch', async () => {
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({ Failed: [{ Id: 'r3', Code: 'InternalError', SenderFault: false, Message: 'try again' }] })
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'));
    await expect(
      publishResults(results(12), { topicArn: TOPIC, sns: async () => new SNSClient({ region: 'us-east-1' }) }),
    ).rejects.toMatchObject({
      name: 'PublishError',
      message: `could not publish 2 result message(s) to ${TOPIC}: r3: InternalError try again; 2 result(s) r10..r11: Throttling: Rate exceeded`,
    });
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(2);
  });
});
