import type { BotContext } from '../types';

/** `arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...` -> region. */
const KEY_ARN = /^arn:[\w-]+:kms:([\w-]+):\d{12}:key\/.+$/;

/**
 * The key the finding names, by key id or key ARN (both are what the KMS API
 * takes). An ARN in another Region than the finding's, or an alias, is refused:
 * the bot would act in the wrong place, or on whatever the alias points to now.
 */
export function keyIdOf(ctx: Pick<BotContext, 'finding' | 'region'>, bot: string): string {
  const id = ctx.finding.resource.id;
  if (!id.startsWith('arn:')) {
    if (id.startsWith('alias/')) throw new Error(`${bot}: "${id}" is an alias; the finding must name the key by key id or key ARN`);
    return id;
  }
  const match = KEY_ARN.exec(id);
  if (!match) throw new Error(`${bot}: "${id}" is not a KMS key id or key ARN`);
  if (match[1] !== ctx.region) throw new Error(`${bot}: key ${id} is in ${match[1]}, but the finding is for ${ctx.region}`);
  return id;
}

export const KEY_RESOURCES = ['arn:{partition}:kms:{region}:{account}:key/{resourceId}'];
