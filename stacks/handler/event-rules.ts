/**
 * EventBridge rules that send the mapped findings to the handler, as each
 * source declares them (config/sources.ts), for the keys the config or the
 * enabled bots' metadata map. A source without mappings gets no rule: the
 * handler would only reject its findings.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { BOTS } from '../../bots';
import { defaultMappingTable, type MappingSource, normaliseMappingKey, runnable } from '../../bots/remediates';
import type { Bot } from '../../bots/types';
import type { CloudmendConfig } from '../../config/schema';
import { MAPPED_SOURCES, type MappedSourceDeclaration } from '../../config/sources';
import { resolveEnabledBots } from '../runtime-config';
import { type HandlerContext, json } from './context';
import { addSecurityHubAction } from './security-hub-action';

/**
 * EventBridge's own maxima, written out so the plan shows them: an event it
 * cannot hand to Lambda (throttled, function missing) is retried for a day,
 * then kept in the DLQ rather than dropped.
 */
export const TARGET_RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 } as const;

export interface RuleTarget {
  fn: LambdaFunction;
  /** Where EventBridge puts what it could not deliver after its retries. */
  dlq: SqsQueue;
}

/** One rule, its target (the handler, with retries and a DLQ) and the permission for EventBridge to invoke it. */
export function addEventRule(
  ctx: HandlerContext,
  target: RuleTarget,
  id: string,
  description: string,
  pattern: unknown,
): CloudwatchEventRule {
  const rule = new CloudwatchEventRule(ctx.scope, `rule-${id}`, {
    name: ctx.names.rule(id),
    description,
    eventPattern: json(pattern),
  });
  new CloudwatchEventTarget(ctx.scope, `rule-${id}-target`, {
    rule: rule.name,
    arn: target.fn.arn,
    targetId: 'cloudmend-handler',
    retryPolicy: TARGET_RETRY_POLICY,
    deadLetterConfig: { arn: target.dlq.arn },
  });
  new LambdaPermission(ctx.scope, `from-rule-${id}`, {
    statementId: `EventBridge-${id}`,
    action: 'lambda:InvokeFunction',
    functionName: target.fn.functionName,
    principal: 'events.amazonaws.com',
    sourceArn: rule.arn,
  });
  return rule;
}

/** A consolidated Security Hub control id (`S3.8`): the only form `Compliance.SecurityControlId`, which the rule filters on, carries. */
const CONSOLIDATED_CONTROL_ID = /^(?!CIS|PCI)[A-Za-z0-9]+\.\d+$/;

/**
 * The keys a source's rule lets through: every key the config maps (an empty
 * list too: the handler then reports the finding as disabled on purpose), and
 * the keys that enabled, runnable bots declare in `meta.remediates` where the
 * config says nothing for that key. Without the second half, a finding the
 * planner would map from bot metadata would never reach the handler.
 */
export function mappedRuleKeys(config: CloudmendConfig, source: MappingSource, catalog: readonly Bot[] = BOTS): string[] {
  const configured = Object.keys(config.mappings[source]);
  const overridden = new Set(configured.map((key) => normaliseMappingKey(source, key)));
  const enabled = new Set(
    resolveEnabledBots(
      config,
      catalog.map((bot) => bot.meta.name),
    ),
  );
  const optIn = new Set(config.bots.optIn);
  const declared = defaultMappingTable(catalog.filter((bot) => runnable(bot, enabled, optIn)))[source];
  const fromMetadata = [...declared.entries()]
    .filter(([normalised]) => !overridden.has(normalised))
    .map(([, entry]) => entry.key)
    .filter((key) => source !== 'securityHub' || CONSOLIDATED_CONTROL_ID.test(key));
  return [...new Set([...configured, ...fromMetadata])].sort();
}

/** Each mapped source's rules (config/sources.ts), for the keys mapped by the config or by bot metadata; none for a source with nothing mapped. */
function declaredRules(config: CloudmendConfig, customActionArn?: (source: MappedSourceDeclaration) => string | undefined) {
  return MAPPED_SOURCES.flatMap((source) => {
    const keys = mappedRuleKeys(config, source.mapping.key);
    if (keys.length === 0) return [];
    const arn = customActionArn?.(source);
    return source.eventRules?.({ keys, settings: config.sources, ...(arn ? { customActionArn: arn } : {}) }) ?? [];
  });
}

/** Ids of the rules a config creates, known before they exist (the DLQ policy names them). */
export function sourceRuleIds(config: CloudmendConfig): string[] {
  return declaredRules(config).map((rule) => rule.id);
}

export function addSourceRules(ctx: HandlerContext, target: RuleTarget): CloudwatchEventRule[] {
  const actionArn = (source: MappedSourceDeclaration) =>
    source.customAction && mappedRuleKeys(ctx.config, source.mapping.key).length > 0
      ? addSecurityHubAction(ctx, source.customAction).arn
      : undefined;
  return declaredRules(ctx.config, actionArn).map((rule) => addEventRule(ctx, target, rule.id, rule.description, rule.pattern));
}
