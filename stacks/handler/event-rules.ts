/**
 * EventBridge rules that send the mapped GuardDuty, Security Hub and Config
 * findings to the handler. A source without mappings gets no rule: the
 * handler would only reject its findings.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { type HandlerContext, json } from './context';
import { addSecurityHubAction } from './security-hub-action';

/** One rule, its target (the handler) and the permission for EventBridge to invoke it. */
export function addEventRule(
  ctx: HandlerContext,
  fn: LambdaFunction,
  id: string,
  description: string,
  pattern: unknown,
): CloudwatchEventRule {
  const rule = new CloudwatchEventRule(ctx.scope, `rule-${id}`, {
    name: `cloudmend-${id}`,
    description,
    eventPattern: json(pattern),
  });
  new CloudwatchEventTarget(ctx.scope, `rule-${id}-target`, { rule: rule.name, arn: fn.arn, targetId: 'cloudmend-handler' });
  new LambdaPermission(ctx.scope, `from-rule-${id}`, {
    statementId: `EventBridge-${id}`,
    action: 'lambda:InvokeFunction',
    functionName: fn.functionName,
    principal: 'events.amazonaws.com',
    sourceArn: rule.arn,
  });
  return rule;
}

const sorted = (record: Record<string, unknown>) => Object.keys(record).sort();

export function addSourceRules(ctx: HandlerContext, fn: LambdaFunction): CloudwatchEventRule[] {
  const { mappings } = ctx.config;
  const rules: CloudwatchEventRule[] = [];
  const guardduty = sorted(mappings.guardduty);
  if (guardduty.length > 0) {
    rules.push(
      addEventRule(ctx, fn, 'guardduty', 'GuardDuty findings of the mapped types', {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { type: guardduty },
      }),
    );
  }
  const controls = sorted(mappings.securityHub);
  if (controls.length > 0) {
    rules.push(
      addEventRule(ctx, fn, 'securityhub-imported', 'Failed Security Hub findings of the mapped controls', {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        detail: { findings: { Compliance: { SecurityControlId: controls, Status: ['FAILED'] } } },
      }),
    );
    const action = addSecurityHubAction(ctx);
    rules.push(
      addEventRule(ctx, fn, 'securityhub-action', 'Findings sent with the Security Hub custom action', {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Custom Action'],
        resources: [action.arn],
      }),
    );
  }
  const configRules = sorted(mappings.config);
  if (configRules.length > 0) {
    rules.push(
      addEventRule(ctx, fn, 'config', 'AWS Config rules of the mapped names turning non-compliant', {
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: { configRuleName: configRules, newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
      }),
    );
  }
  return rules;
}
