/** The findings topic (where CloudGuard and other publishers send findings) and the results topic (every outcome). */
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { type HandlerContext, json } from './context';
import { type EncryptionKey, topicKey } from './encryption';

/** Only the configured publisher accounts, and the security account itself, may publish findings. */
export function addFindingsTopic(ctx: HandlerContext, key: EncryptionKey): SnsTopic {
  const { account, partition, names } = ctx;
  const kmsMasterKeyId = topicKey(ctx, key, 'findings');
  const topic = new SnsTopic(ctx.scope, 'findings', { name: names.inputTopic, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) });
  const publishers = [...new Set([account, ...ctx.config.notifications.publisherAccounts])].sort();
  new SnsTopicPolicy(ctx.scope, 'findings-policy', {
    arn: topic.arn,
    policy: json({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowedPublishers',
          Effect: 'Allow',
          Principal: { AWS: publishers.map((id) => `arn:${partition}:iam::${id}:root`) },
          Action: 'sns:Publish',
          Resource: ctx.arn('sns', names.inputTopic),
        },
      ],
    }),
  });
  return topic;
}

export function addResultsTopic(ctx: HandlerContext, key: EncryptionKey): SnsTopic {
  const kmsMasterKeyId = topicKey(ctx, key, 'results');
  const topic = new SnsTopic(ctx.scope, 'results', { name: ctx.names.outputTopic, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) });
  ctx.config.notifications.subscribers.forEach((subscriber, i) => {
    new SnsTopicSubscription(ctx.scope, `results-subscriber-${i}`, {
      topicArn: topic.arn,
      protocol: subscriber.protocol,
      endpoint: subscriber.endpoint,
    });
  });
  return topic;
}
