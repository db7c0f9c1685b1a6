import { unwrapEvent } from '../../../handler/sources/envelope';
import { fixture } from '../../fixtures/load';

describe('envelopes', () => {
  it('unwraps an SNS record whose Message is a JSON string, keeping the message id', () => {
    const { messages, rejections } = unwrapEvent(fixture('sns-envelope-cloudguard-s3.json'));
    expect(rejections).toEqual([]);
    expect(messages).toEqual([
      { payload: fixture('cloudguard-s3-bucket.json'), via: 'sns', recordId: '0d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
    ]);
  });

  it('unwraps several SNS records, Message as string or already an object', () => {
    const { messages } = unwrapEvent(fixture('sns-envelope-multi.json'));
    expect(messages.map((m) => [m.recordId, Object.keys(m.payload).slice(0, 2)])).toEqual([
      ['0d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d', ['policy', 'bundle']],
      ['sns-object-1', ['reportTime', 'rule']],
      ['sns-gd-1', ['version', 'id']],
    ]);
  });

  it('unwraps SQS records holding an SNS notification or an EventBridge event; a broken body is rejected with its record id', () => {
    const { messages, rejections } = unwrapEvent(fixture('sqs-batch-mixed.json'));
    expect(messages.map((m) => [m.recordId, m.via, m.payload['detail-type']])).toEqual([
      ['11111111-1111-1111-1111-111111111111', 'sqs/sns', 'GuardDuty Finding'],
      ['22222222-2222-2222-2222-222222222222', 'sqs', 'Config Rules Compliance Change'],
    ]);
    expect(rejections).toEqual([
      expect.objectContaining({
        code: 'malformed-event',
        recordId: '33333333-3333-3333-3333-333333333333',
        reason: expect.stringMatching(/^SQS record #2 body is not JSON/),
      }),
    ]);
  });

  it('passes an EventBridge event and a bare message through', () => {
    expect(unwrapEvent(fixture('guardduty-ec2-malicious-ip.json')).messages[0]!.via).toBe('eventbridge');
    expect(unwrapEvent(fixture('seed-simplified-s3.json')).messages[0]!.via).toBe('direct');
  });

  it('unwraps a bare SNS notification (an HTTP subscriber or a copy from the console)', () => {
    const notification = {
      Type: 'Notification',
      MessageId: 'm1',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: JSON.stringify({ a: 1 }),
    };
    expect(unwrapEvent(notification).messages).toEqual([{ payload: { a: 1 }, via: 'sns', recordId: 'm1' }]);
  });

  it.each([
    [null, 'the event is null; expected an SNS or SQS event, an EventBridge event or a finding object'],
    [[1, 2], 'the event is a list; expected an SNS or SQS event, an EventBridge event or a finding object'],
    ['text', 'the event is string; expected an SNS or SQS event, an EventBridge event or a finding object'],
    [{ Records: [] }, 'the event has no Records (expected a non-empty list of SNS or SQS records)'],
    [
      { Records: [{ foo: 1 }] },
      'record #0 is neither an SNS record (EventSource "aws:sns", Sns.Message) nor an SQS record (eventSource "aws:sqs", body)',
    ],
    [{ Records: [{ EventSource: 'aws:sns', Sns: { Message: '[1]' } }] }, 'SNS record #0 Message is JSON but not an object'],
    [{ Records: [{ EventSource: 'aws:sns', Sns: { Message: null } }] }, 'SNS record #0 Message is null, expected a JSON object'],
  ])('rejects %j with a reason', (event, reason) => {
    const { messages, rejections } = unwrapEvent(event);
    expect(messages).toEqual([]);
    expect(rejections.map((r) => r.reason)).toEqual([reason]);
  });
});
