import { mockClient } from 'aws-sdk-client-mock';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterEvent, redrive, replaySucceeded } from '../../cli/redrive';
import { PublishError } from '../../handler/errors';
import type { ProcessOutcome } from '../../handler/process-event';

const sqs = mockClient(SQSClient);
afterAll(() => sqs.restore());
beforeEach(() => sqs.reset());

const QUEUE = 'http://sqs.us-east-1.localhost/123456789012/cloudmend-dlq-us-east-1';
const outcome = (...statuses: string[]) =>
  ({ results: statuses.map((status) => ({ status })), runs: [], retryable: [] }) as unknown as ProcessOutcome;

describe('deadLetterEvent', () => {
  it('replays the original event of a Lambda async failure record, and SNS notifications and EventBridge events as they are', () => {
    expect(deadLetterEvent(JSON.stringify({ requestContext: { requestId: 'r' }, requestPayload: { Records: [] } }))).toEqual({
      kind: 'lambda-async',
      event: { Records: [] },
    });
    const notification = { Type: 'Notification', Message: '{}', TopicArn: 'arn:aws:sns:us-east-1:1:t' };
    expect(deadLetterEvent(JSON.stringify(notification))).toEqual({ kind: 'sns', event: notification });
    expect(deadLetterEvent('{"detail-type":"GuardDuty Finding","detail":{}}').kind).toBe('eventbridge');
    expect(deadLetterEvent('[1]')).toEqual({ kind: 'other', event: [1] });
    expect(() => deadLetterEvent('nope')).toThrow(SyntaxError);
  });
});

describe('replaySucceeded', () => {
  it('only when there are results and none failed', () => {
    expect(replaySucceeded([{ status: 'remediated' }, { status: 'skipped' }, { status: 'already-compliant' }])).toBe(true);
    expect(replaySucceeded([{ status: 'remediated' }, { status: 'failed' }])).toBe(false);
    expect(replaySucceeded([])).toBe(false);
  });
});

describe('redrive', () => {
  it('never deletes a message whose replay threw (e.g. the results could not be published) and makes it visible again', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'ok', ReceiptHandle: 'h-ok', Body: '{"detail-type":"x","detail":{}}' },
          { MessageId: 'boom', ReceiptHandle: 'h-boom', Body: '{"detail-type":"y","detail":{}}' },
        ],
      })
      .resolves({ Messages: [] });
    const replay = jest.fn(async (event: unknown) => {
      if ((event as Record<string, unknown>)['detail-type'] === 'y') throw new PublishError('could not publish');
      return outcome('remediated');
    });

    const replayed = await redrive({ queueUrl: QUEUE, dryRun: false, max: Number.POSITIVE_INFINITY }, { sqs: new SQSClient({}), replay });

    expect(replayed.map((r) => [r.messageId, r.outcome, r.succeeded])).toEqual([
      ['ok', 'deleted', true],
      ['boom', 'kept', false],
    ]);
    expect(replayed[1]!.reason).toBe('replay failed: PublishError: could not publish');
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: QUEUE, ReceiptHandle: 'h-ok' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, ReceiptHandle: 'h-boom', VisibilityTimeout: 0 },
    ]);
  });

  it('in dry run replays in dry run and deletes nothing', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ MessageId: 'a', ReceiptHandle: 'h-a', Body: '{}' }] })
      .resolves({});
    const replay = jest.fn(async () => outcome('dry-run'));
    const replayed = await redrive({ queueUrl: QUEUE, dryRun: true, max: 5 }, { sqs: new SQSClient({}), replay });
    expect(replay).toHaveBeenCalledWith({}, true);
    expect(replayed.map((r) => [r.outcome, r.succeeded])).toEqual([['kept', true]]);
    expect(sqs.commandCalls(DeleteMessageCommand)).toEqual([]);
  });

  it('asks for no more than --max messages', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'a', ReceiptHandle: 'h-a', Body: '{}' }] });
    await redrive({ queueUrl: QUEUE, dryRun: false, max: 3 }, { sqs: new SQSClient({}), replay: async () => outcome('remediated') });
    expect(sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.MaxNumberOfMessages)).toEqual([3, 2, 1]);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(3);
  });
});
