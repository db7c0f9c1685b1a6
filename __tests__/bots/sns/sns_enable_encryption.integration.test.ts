import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/sns/sns_enable_encryption';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, prepareUndoState, REGION, remediate, undoThroughCli } from '../../support/undo-through-session';

async function seedTopic(name: string) {
  const sns = (await memberSession(MEMBER, REGION)).client(SNSClient);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  return { key: async () => (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes?.KmsMasterKeyId };
}

describeMoto('sns_enable_encryption against moto', () => {
  const resource = { type: 'AWS::SNS::Topic', id: 'plain-alerts' };

  it('encrypts a topic in a member account with the AWS managed key under its session policy, then reports already-compliant', async () => {
    const topic = await seedTopic('plain-alerts');
    const session = await memberSession(
      MEMBER,
      REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'plain-alerts' }),
    );

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(await topic.key()).toBe('alias/aws/sns');
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('undo leaves the topic unencrypted again', async () => {
    await prepareUndoState();
    const topic = await seedTopic('plain-alerts');
    const outcome = await remediate(bot, 'AWS::SNS::Topic', 'plain-alerts');
    expect(outcome.result?.status).toBe('remediated');
    const undone = await undoThroughCli(outcome.resultId!);
    expect(undone.code).toBe(0);
    expect(await topic.key()).toBeUndefined();
  });
});
