/**
 * The topic a finding names: its name (AWS Config, CloudGuard) or its ARN
 * (Security Hub), in the finding's account and region. SNS APIs take the ARN.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

export const TOPIC_RESOURCE = 'arn:{partition}:sns:{region}:{account}:{resourceId}';

const TOPIC_ARN = /^arn:[\w-]+:sns:([\w-]+):(\d{12}):([\w.-]+)$/;

/** The topic's name and ARN; an ARN of another region or account than the finding's is refused. */
export function topicOf(resourceId: string, ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, bot: string) {
  if (!resourceId.startsWith('arn:')) {
    return { name: resourceId, arn: `arn:${ctx.partition}:sns:${ctx.region}:${ctx.account}:${resourceId}` };
  }
  const match = TOPIC_ARN.exec(resourceId);
  if (!match) throw new Error(`${bot}: "${resourceId}" is not an SNS topic name or topic ARN`);
  const [, region, account, name = ''] = match;
  if (region !== ctx.region || account !== ctx.account) {
    throw new Error(`${bot}: topic ${resourceId} is in ${account} ${region}, but the finding is for ${ctx.account} ${ctx.region}`);
  }
  return { name, arn: resourceId };
}

export async function readTopicAttributes(sns: SNSClient, arn: string): Promise<Record<string, string>> {
  const { GetTopicAttributesCommand } = await sdk.sns();
  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
  return Attributes ?? {};
}
