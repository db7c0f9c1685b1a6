import { z } from 'zod';
import { alreadyCompliant, ChangeSet } from '../changes';
import { defineBot } from '../types';
import { readTopicAttributes, TOPIC_RESOURCE, topicOf } from './topic';
import { sdk } from '../sdk';

const NAME = 'sns_enable_encryption';
const AWS_MANAGED_KEY = 'alias/aws/sns';

const params = z.strictObject({
  kms_key: z
    .string()
    .trim()
    .regex(
      /^(arn:[\w-]+:kms:[\w-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+|alias\/[\w/+=,.@-]+|[0-9a-f-]{36})$/,
      'must be a KMS key id, key ARN, alias name or alias ARN',
    )
    .default(AWS_MANAGED_KEY)
    .describe(
      `KMS key encrypting the topic (key id, key ARN, alias/<name> or alias ARN); it must be in the finding’s account or on trust.allowedKmsKeys. ` +
        `Default: ${AWS_MANAGED_KEY}, the AWS managed key for SNS`,
    ),
});

export default defineBot({
  meta: {
    name: NAME,
    summary: `Turn on encryption at rest of an SNS topic with a KMS key (default ${AWS_MANAGED_KEY})`,
    description:
      'Reads the topic’s attributes; a topic already encrypted with any KMS key is compliant and left as it is. Otherwise sets ' +
      `KmsMasterKeyId to \`kms_key\` (default ${AWS_MANAGED_KEY}). Only messages published afterwards are encrypted. Publishers ` +
      'need kms:GenerateDataKey and kms:Decrypt on the key: AWS services that publish to the topic (CloudWatch alarms, ' +
      'EventBridge, S3 event notifications, ...) cannot use the AWS managed key, whose policy cannot be changed, so give such ' +
      'topics a customer managed key whose policy allows those services, or their notifications stop. Subscriptions, the ' +
      'topic policy and every other attribute are left as they are. Undo turns the encryption off again.',
    resourceTypes: ['AWS::SNS::Topic'],
    remediates: { securityHub: ['SNS.1'], config: ['sns-encrypted-kms'] },
    params,
    positional: ['kms_key'],
    overridable: [],
    sensitiveParams: { kms_key: 'key' },
    permissions: [
      {
        actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'],
        resources: [TOPIC_RESOURCE],
        reason: 'read the topic’s encryption key and set it',
      },
    ],
    undo: {
      encryption: {
        reversible: true,
        how: 'sets the topic’s KmsMasterKeyId back to what it was (empty: unencrypted)',
        permissions: [
          {
            actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'],
            resources: [TOPIC_RESOURCE],
            reason: 'undo: read the topic’s encryption key and write the recorded one back',
          },
        ],
      },
    },
  },
  undoers: {
    encryption: {
      async read(ctx) {
        const { SNSClient } = await sdk.sns();
        const attributes = await readTopicAttributes(ctx.client(SNSClient), ctx.target);
        return { KmsMasterKeyId: attributes.KmsMasterKeyId ?? '' };
      },
      async write(ctx, state) {
        const { SNSClient, SetTopicAttributesCommand } = await sdk.sns();
        const { KmsMasterKeyId } = state as { KmsMasterKeyId: string };
        await ctx
          .client(SNSClient)
          .send(new SetTopicAttributesCommand({ TopicArn: ctx.target, AttributeName: 'KmsMasterKeyId', AttributeValue: KmsMasterKeyId }));
      },
    },
  },
  async run(ctx) {
    const { SNSClient, SetTopicAttributesCommand } = await sdk.sns();
    const sns = ctx.client(SNSClient);
    const topic = topicOf(ctx.finding.resource.id, ctx, NAME);
    const current = (await readTopicAttributes(sns, topic.arn)).KmsMasterKeyId ?? '';
    if (current !== '') return alreadyCompliant(`topic ${topic.name} is already encrypted with ${current}`);
    const key = ctx.params.kms_key;
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'sns:SetTopicAttributes',
        target: topic.arn,
        description: `encryption at rest off -> KMS key ${key}`,
        undo: { kind: 'encryption', before: { KmsMasterKeyId: '' }, after: { KmsMasterKeyId: key } },
      },
      () => sns.send(new SetTopicAttributesCommand({ TopicArn: topic.arn, AttributeName: 'KmsMasterKeyId', AttributeValue: key })),
    );
    return changes.result(`encrypted topic ${topic.name} with ${key}`);
  },
});
