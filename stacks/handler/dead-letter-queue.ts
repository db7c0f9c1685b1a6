/** Where events that failed after their retries wait, for `cloudmend redrive`: nothing is dropped untraced. */
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { type HandlerContext, json } from './context';
import type { EncryptionKey } from './encryption';
import { sourceRuleIds } from './event-rules';

export function addDeadLetterQueue(ctx: HandlerContext, key: EncryptionKey): SqsQueue {
  return new SqsQueue(ctx.scope, 'dlq', {
    name: ctx.names.dlq,
    messageRetentionSeconds: ctx.config.handler.dlqRetentionDays * 86400,
    // Not the AWS-managed SQS key: SNS and EventBridge, which write here, cannot use it.
    ...(key.arn ? { kmsMasterKeyId: key.arn } : { sqsManagedSseEnabled: true }),
  });
}

/**
 * Who may put what they could not deliver into the DLQ: SNS for the findings
 * topic's subscription, EventBridge for the source rules' targets, each only
 * for its own source ARN. (Lambda's own on-failure destination goes through
 * the execution role instead.)
 */
export function allowDeadLetterSenders(ctx: HandlerContext, dlq: SqsQueue): SqsQueuePolicy {
  const { arn, names } = ctx;
  const ruleArns = sourceRuleIds(ctx.config).map((id) => arn('events', `rule/${names.rule(id)}`));
  return new SqsQueuePolicy(ctx.scope, 'dlq-policy', {
    queueUrl: dlq.url,
    policy: json({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FindingsTopicRedrive',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn('sqs', names.dlq),
          Condition: { ArnEquals: { 'aws:SourceArn': arn('sns', names.inputTopic) } },
        },
        ...(ruleArns.length > 0
          ? [
              {
                Sid: 'EventRuleTargetsDeadLetter',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: arn('sqs', names.dlq),
                Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
              },
            ]
          : []),
      ],
    }),
  });
}
