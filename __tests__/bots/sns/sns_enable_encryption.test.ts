import { mockClient } from 'aws-sdk-client-mock';
import { GetTopicAttributesCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import bot from '../../../bots/sns/sns_enable_encryption';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:222222222222:alerts';
const topic = { type: 'AWS::SNS::Topic', id: 'alerts' };

describe('sns_enable_encryption', () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => sns.reset());
  afterAll(() => sns.restore());

  it('encrypts an unencrypted topic with the AWS managed key by default, recording the undo', async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: TOPIC_ARN } });
    sns.on(SetTopicAttributesCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: topic }));

    expect(sns.commandCalls(GetTopicAttributesCommand)[0]!.args[0].input).toEqual({ TopicArn: TOPIC_ARN });
    expect(sns.commandCalls(SetTopicAttributesCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC_ARN,
      AttributeName: 'KmsMasterKeyId',
      AttributeValue: 'alias/aws/sns',
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'encrypted topic alerts with alias/aws/sns',
      changes: [
        {
          action: 'sns:SetTopicAttributes',
          target: TOPIC_ARN,
          description: 'encryption at rest off -> KMS key alias/aws/sns',
          applied: true,
          undo: { kind: 'encryption', before: { KmsMasterKeyId: '' }, after: { KmsMasterKeyId: 'alias/aws/sns' } },
        },
      ],
    });
  });

  it('uses the key given', async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
    const key = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await bot.run(botContext(bot, { resource: topic, params: { kms_key: key } }));
    expect(sns.commandCalls(SetTopicAttributesCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC_ARN,
      AttributeName: 'KmsMasterKeyId',
      AttributeValue: key,
    });
  });

  it('leaves a topic encrypted with any key alone', async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: 'alias/alerts' } });
    const result = await bot.run(botContext(bot, { resource: topic }));
    expect(result).toEqual({ status: 'already-compliant', message: 'topic alerts is already encrypted with alias/alerts', changes: [] });
    expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
  });

  it('accepts the topic ARN, and refuses one of another account or region before any call', async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
    await bot.run(botContext(bot, { resource: { ...topic, id: TOPIC_ARN } }));
    expect(sns.commandCalls(SetTopicAttributesCommand)[0]!.args[0].input).toMatchObject({ TopicArn: TOPIC_ARN });

    sns.reset();
    await expect(bot.run(botContext(bot, { resource: { ...topic, id: 'arn:aws:sns:eu-west-1:222222222222:alerts' } }))).rejects.toThrow(
      'is in 222222222222 eu-west-1, but the finding is for 222222222222 us-east-1',
    );
    await expect(
      bot.run(botContext(bot, { resource: { ...topic, id: 'arn:aws:sns:us-east-1:222222222222:alerts:5f1e-subscription' } })),
    ).rejects.toThrow('is not an SNS topic name or topic ARN');
    expect(sns.calls()).toHaveLength(0);
  });

  it('passes on what SNS refuses', async () => {
    sns.on(GetTopicAttributesCommand).rejects(awsError('NotFound', 'Topic does not exist', 404));
    await expect(bot.run(botContext(bot, { resource: topic }))).rejects.toThrow('Topic does not exist');
    expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: {} });
    const result = await bot.run(botContext(bot, { resource: topic, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'sns:SetTopicAttributes', target: TOPIC_ARN, applied: false })]);
    expect(sns.commandCalls(SetTopicAttributesCommand)).toHaveLength(0);
  });

  it('never lets a finding choose the key, and rejects what is not a key', () => {
    expect(bot.meta.overridable).toEqual([]);
    expect(bot.meta.sensitiveParams).toEqual({ kms_key: 'key' });
    expect(bot.meta.params.safeParse({ kms_key: 'my key' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ key: 'alias/x' }).success).toBe(false);
  });

  it('undo reads the key and writes the recorded one back', async () => {
    const undoer = bot.undoers!.encryption!;
    const ctx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: TOPIC_ARN,
    } as Parameters<typeof undoer.read>[0];
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: 'alias/aws/sns' } });
    expect(await undoer.read(ctx)).toEqual({ KmsMasterKeyId: 'alias/aws/sns' });
    await undoer.write(ctx, { KmsMasterKeyId: '' });
    expect(sns.commandCalls(SetTopicAttributesCommand)[0]!.args[0].input).toEqual({
      TopicArn: TOPIC_ARN,
      AttributeName: 'KmsMasterKeyId',
      AttributeValue: '',
    });
  });
});
