/**
 * The params of one planned run: pinned where the config sets them, set by the
 * finding only where the bot allows it, and with every destination and key
 * inside the finding's account or on the config's allow-list.
 */
import { resolveRequestedParams, type ParamsResult } from '../bots/args';
import { checkSensitiveParams } from '../bots/param-trust';
import type { Bot, Finding, RequestedAction } from '../bots/types';
import type { RuntimeConfig } from '../config/runtime';

export function paramsForRun(
  bot: Bot,
  action: RequestedAction,
  requestedBy: 'finding' | 'config mapping' | 'bot metadata',
  finding: Pick<Finding, 'partition' | 'account' | 'region'>,
  config: Pick<RuntimeConfig, 'params' | 'trust'>,
): ParamsResult {
  const pinned = config.params[bot.meta.name] ?? {};
  const resolved = resolveRequestedParams(bot.meta, action.args, pinned, requestedBy === 'finding' ? 'finding' : 'config');
  if (!resolved.ok) return resolved;
  const refusal = checkSensitiveParams(
    bot.meta,
    resolved.params as Record<string, unknown>,
    { partition: finding.partition, account: finding.account, region: finding.region },
    { allowedDestinations: config.trust?.allowedDestinations ?? [], allowedKmsKeys: config.trust?.allowedKmsKeys ?? [] },
  );
  return refusal ? { ok: false, error: refusal } : resolved;
}
