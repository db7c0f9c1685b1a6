/**
 * EventBridge rules that send the mapped GuardDuty, Security Hub and Config
 * findings to the handler. A source without mappings gets no rule: the
 * handler would only reject its findings.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { CloudmendConfig } from '../../config/schema';
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

const sorted = (record: Record<string, unknown>) => Object.keys(record).sort();

/** Ids of the rules a config creates, known before they exist (the DLQ policy names them). */
export function sourceRuleIds(config: CloudmendConfig): string[] {
  const ids: string[] = [];
  if (sorted(config.mappings.guardduty).length > 0) ids.push('guardduty');
  if (sorted(config.mappings.securityHub).length > 0) ids.push('securityhub-imported', 'securityhub-action');
  if (sorted(config.mappings.config).length > 0) ids.push('config');
  return ids;
}

export function addSourceRules(ctx: HandlerContext, target: RuleTarget): CloudwatchEventRule[] {
  const { mappings } = ctx.config;
  const rules: CloudwatchEventRule[] = [];
  const guardduty = sorted(mappings.guardduty);
  if (guardduty.length > 0) {
    rules.push(
      addEventRule(ctx, target, 'guardduty', 'GuardDuty findings of the mapped types', {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { type: guardduty },
      }),
    );
  }
  const controls = sorted(mappings.securityHub);
  if (controls.length > 0) {
    rules.push(
      addEventRule(ctx, target, 'securityhub-imported', 'Failed Security Hub findings of the mapped controls', {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        detail: { findings: { Compliance: { SecurityControlId: controls, Status: ['FAILED'] } } },
      }),
    );
    const action = addSecurityHubAction(ctx);
    rules.push(
      addEventRule(ctx, target, 'securityhub-action', 'Findings sent with the Security Hub custom action', {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Custom Action'],
        resources: [action.arn],
      }),
    );
  }
  const configRules = sorted(mappings.config);
  if (configRules.length > 0) {
    rules.push(
      addEventRule(ctx, target, 'config', 'AWS Config rules of the mapped names turning non-compliant', {
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: { configRuleName: configRules, newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
      }),
    );
  }
  return rules;
}
