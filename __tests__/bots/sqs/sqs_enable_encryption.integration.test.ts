import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/sqs/sqs_enable_encryption';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

async function seedQueue(name: string) {
  const sqs = (await memberSession(MEMBER, REGION)).client(SQSClient);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { SqsManagedSseEnabled: 'false' } }));
  const read = async () =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled', 'KmsMasterKeyId'] }))).Attributes;
  return { read };
}

describeMoto('sqs_enable_encryption against moto', () => {
  const resource = { type: 'AWS::SQS::Queue', id: 'plain-orders' };
  const botSession = () =>
    memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'plain-orders' }),
    );

  it('turns on SSE-SQS of an unencrypted queue in a member account, then reports already-compliant', async () => {
    const queue = await seedQueue('plain-orders');
    const session = await botSession();

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toBe(`arn:aws:sqs:${REGION}:${MEMBER}:plain-orders`);
    expect(await queue.read()).toEqual({ SqsManagedSseEnabled: 'true' });
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('uses the KMS key given', async () => {
    const queue = await seedQueue('plain-orders');
    const session = await botSession();
    await bot.run(botContext(bot, { resource, client: session.client, params: { kms_key: 'alias/orders' } }));
    expect(await queue.read()).toMatchObject({ KmsMasterKeyId: 'alias/orders' });
  });

  it('undo leaves the queue unencrypted again, as seeded', async () => {
    await prepareUndoState();
    const queue = await seedQueue('plain-orders');
    const seeded = await queue.read();

    const outcome = await remediate(bot, 'AWS::SQS::Queue', 'plain-orders');
    expect(outcome.result?.status).toBe('remediated');
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect(await queue.read()).toEqual(seeded);
  });
});
