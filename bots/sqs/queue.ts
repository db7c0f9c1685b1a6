/**
 * The queue a finding names: its name (AWS Config, CloudGuard) or its ARN
 * (Security Hub), in the finding's account and region. SQS APIs take the
 * queue URL, which GetQueueUrl gives for the name and owner.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

export const QUEUE_RESOURCE = 'arn:{partition}:sqs:{region}:{account}:{resourceId}';

const QUEUE_ARN = /^arn:[\w-]+:sqs:([\w-]+):(\d{12}):([\w.-]+)$/;

/** The queue name; an ARN of another region or account than the finding's is refused. */
export function queueName(resourceId: string, ctx: Pick<BotContext, 'region' | 'account'>, bot: string): string {
  if (!resourceId.startsWith('arn:')) return resourceId;
  const match = QUEUE_ARN.exec(resourceId);
  if (!match) throw new Error(`${bot}: "${resourceId}" is not an SQS queue name or queue ARN`);
  const [, region, account, name = ''] = match;
  if (region !== ctx.region || account !== ctx.account) {
    throw new Error(`${bot}: queue ${resourceId} is in ${account} ${region}, but the finding is for ${ctx.account} ${ctx.region}`);
  }
  return name;
}

export function queueArn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, name: string): string {
  return `arn:${ctx.partition}:sqs:${ctx.region}:${ctx.account}:${name}`;
}

/** The name inside a change target (the queue ARN the bot recorded). */
export function nameOfTarget(target: string): string {
  return QUEUE_ARN.exec(target)?.[3] ?? target;
}

/** The queue's URL, asked of SQS for the name in this account (a queue of that name elsewhere is never found). */
export async function queueUrl(sqs: SQSClient, name: string, account: string): Promise<string> {
  const { GetQueueUrlCommand } = await sdk.sqs();
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
  if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for queue ${name}`);
  return QueueUrl;
}
