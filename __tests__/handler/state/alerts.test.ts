import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { publishAlert } from '../../../handler/state/alerts';

describe('limit alerts', () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => sns.reset());

  it('go to the results topic with a status attribute subscribers can filter on', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const alert = {
      kind: 'account-limit' as const,
      scope: 'account 222222222222',
      region: 'eu-west-1',
      window: '2026-11-30T11',
      message: 'account 222222222222 reached its limit of 50 remediations in the hour 2026-11-30T11:00Z',
    };
    await publishAlert(alert, {
      topicArn: 'arn:aws:sns:eu-west-1:111111111111:cloudmend-results-eu-west-1',
      sns: async () => new SNSClient({}),
    });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:eu-west-1:111111111111:cloudmend-results-eu-west-1',
      Subject: 'cloudmend limit reached: account 222222222222 (eu-west-1)',
      Message: JSON.stringify({ alert }),
      MessageAttributes: { status: { DataType: 'String', StringValue: 'account-limit' } },
    });
  });
});
