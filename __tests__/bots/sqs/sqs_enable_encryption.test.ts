import { mockClient } from 'aws-sdk-client-mock';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import bot from '../../../bots/sqs/sqs_enable_encryption';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:222222222222:orders';
// As GetQueueUrl answers it; the host is whatever endpoint the SDK resolved (an emulator's here), never built by the bot.
const QUEUE_URL = 'http://127.0.0.1:5000/222222222222/orders';
const queue = { type: 'AWS::SQS::Queue', id: 'orders' };

describe('sqs_enable_encryption', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    sqs.reset();
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
  });
  afterAll(() => sqs.restore());

  it('turns on SQS-managed encryption of an unencrypted queue by default, recording the undo', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { SqsManagedSseEnabled: 'false' } });
    sqs.on(SetQueueAttributesCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: queue }));

    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toEqual({ QueueName: 'orders', QueueOwnerAWSAccountId: '222222222222' });
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      AttributeNames: ['SqsManagedSseEnabled', 'KmsMasterKeyId'],
    });
    expect(sqs.commandCalls(SetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      Attributes: { SqsManagedSseEnabled: 'true' },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'turned on SSE-SQS encryption of queue orders',
      changes: [
        {
          action: 'sqs:SetQueueAttributes',
          target: QUEUE_ARN,
          description: 'encryption at rest unencrypted -> SSE-SQS',
          applied: true,
          undo: {
            kind: 'encryption',
            before: { SqsManagedSseEnabled: 'false', KmsMasterKeyId: '' },
            after: { SqsManagedSseEnabled: 'true', KmsMasterKeyId: '' },
          },
        },
      ],
    });
  });

  it('uses the KMS key given instead', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: {} });
    const result = await bot.run(botContext(bot, { resource: queue, params: { kms_key: 'alias/orders' } }));
    expect(sqs.commandCalls(SetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      Attributes: { KmsMasterKeyId: 'alias/orders' },
    });
    expect(result.changes[0]).toMatchObject({
      description: 'encryption at rest unencrypted -> SSE-KMS with alias/orders',
      undo: { after: { SqsManagedSseEnabled: 'false', KmsMasterKeyId: 'alias/orders' } },
    });
  });

  it.each([
    [{ SqsManagedSseEnabled: 'true' }, 'SSE-SQS'],
    [{ SqsManagedSseEnabled: 'false', KmsMasterKeyId: 'alias/aws/sqs' }, 'SSE-KMS with alias/aws/sqs'],
  ])('leaves a queue already encrypted (%p) alone', async (attributes, how) => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: attributes });
    const result = await bot.run(botContext(bot, { resource: queue, params: { kms_key: 'alias/orders' } }));
    expect(result).toEqual({ status: 'already-compliant', message: `queue orders is already encrypted (${how})`, changes: [] });
    expect(sqs.commandCalls(SetQueueAttributesCommand)).toHaveLength(0);
  });

  it('accepts the queue ARN, and refuses one of another account or region before any call', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: {} });
    await bot.run(botContext(bot, { resource: { ...queue, id: QUEUE_ARN } }));
    expect(sqs.commandCalls(GetQueueUrlCommand)[0]!.args[0].input).toMatchObject({ QueueName: 'orders' });

    sqs.reset();
    await expect(bot.run(botContext(bot, { resource: { ...queue, id: 'arn:aws:sqs:us-east-1:999999999999:orders' } }))).rejects.toThrow(
      'queue arn:aws:sqs:us-east-1:999999999999:orders is in 999999999999 us-east-1, but the finding is for 222222222222 us-east-1',
    );
    await expect(bot.run(botContext(bot, { resource: { ...queue, id: 'arn:aws:sns:us-east-1:222222222222:orders:sub' } }))).rejects.toThrow(
      'is not an SQS queue name or queue ARN',
    );
    expect(sqs.calls()).toHaveLength(0);
  });

  it('fails when the queue does not exist', async () => {
    sqs.on(GetQueueUrlCommand).rejects(awsError('QueueDoesNotExist', 'The specified queue does not exist.', 400));
    await expect(bot.run(botContext(bot, { resource: queue }))).rejects.toThrow('The specified queue does not exist.');
    expect(sqs.commandCalls(SetQueueAttributesCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { SqsManagedSseEnabled: 'false' } });
    const result = await bot.run(botContext(bot, { resource: queue, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'sqs:SetQueueAttributes', target: QUEUE_ARN, applied: false })]);
    expect(sqs.commandCalls(SetQueueAttributesCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('accept key ids, key and alias ARNs and alias names, and nothing else', () => {
      for (const key of [
        '1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'alias/orders',
        'arn:aws:kms:us-east-1:222222222222:alias/orders',
      ]) {
        expect(parse({ kms_key: key }).success).toBe(true);
      }
      expect(parse({ kms_key: 'orders key' }).success).toBe(false);
      expect(parse({ key: 'alias/orders' }).success).toBe(false);
    });
    it('never lets a finding choose the key, which goes through the trust check', () => {
      expect(bot.meta.overridable).toEqual([]);
      expect(bot.meta.sensitiveParams).toEqual({ kms_key: 'key' });
    });
  });

  it('undo reads both attributes and writes the recorded ones back', async () => {
    const undoer = bot.undoers!.encryption!;
    const ctx = {
      client: (C: new (config: { region: string }) => unknown) => new C({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: QUEUE_ARN,
    } as Parameters<typeof undoer.read>[0];
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { SqsManagedSseEnabled: 'true' } });
    expect(await undoer.read(ctx)).toEqual({ SqsManagedSseEnabled: 'true', KmsMasterKeyId: '' });
    await undoer.write(ctx, { SqsManagedSseEnabled: 'false', KmsMasterKeyId: '' });
    expect(sqs.commandCalls(SetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE_URL,
      Attributes: { SqsManagedSseEnabled: 'false', KmsMasterKeyId: '' },
    });
  });
});
