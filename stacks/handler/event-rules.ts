/**
 * EventBridge rules that send the mapped findings to the handler, as each
 * source declares them (config/sources.ts). A source without mappings gets no
 * rule: the handler would only reject its findings.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { CloudmendConfig } from '../../config/schema';
import { MAPPED_SOURCES, type MappedSourceDeclaration } from '../../config/sources';
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

/** Each mapped source's rules (config/sources.ts), for the keys the config maps; none for a source with nothing mapped. */
function declaredRules(config: CloudmendConfig, customActionArn?: (source: MappedSourceDeclaration) => string | undefined) {
  return MAPPED_SOURCES.flatMap((source) => {
    const keys = Object.keys(config.mappings[source.mapping.key]).sort();
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
    source.customAction && Object.keys(ctx.config.mappings[source.mapping.key]).length > 0
      ? addSecurityHubAction(ctx, source.customAction).arn
      : undefined;
  return declaredRules(ctx.config, actionArn).map((rule) => addEventRule(ctx, target, rule.id, rule.description, rule.pattern));
}
