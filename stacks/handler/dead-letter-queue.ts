/** Where events that failed after their retries wait, for `cloudmend redrive`: nothing is dropped untraced. */
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { type HandlerContext, json } from './context';

export function addDeadLetterQueue(ctx: HandlerContext): SqsQueue {
  return new SqsQueue(ctx.scope, 'dlq', {
    name: ctx.names.dlq,
    messageRetentionSeconds: ctx.config.handler.dlqRetentionDays * 86400,
    sqsManagedSseEnabled: true,
  });
}

/** SNS keeps what it cannot deliver to the Lambda in the DLQ instead of dropping it. */
export function allowDeadLetterSenders(ctx: HandlerContext, dlq: SqsQueue): SqsQueuePolicy {
  const { arn, names } = ctx;
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
      ],
    }),
  });
}
