/**
 * AWS Config `Config Rules Compliance Change` events. The rule name is the key
 * the config maps to bots; the resource type is already a CloudFormation name.
 */
import { reject } from '../rejection';
import { accountId, obj, region, str, type Json } from './fields';
import { apiId, parseArn } from './resources';
import type { SourceOptions, SourceOutput } from './types';

export function fromConfig(event: Json, options: SourceOptions): SourceOutput {
  const detail = obj(event.detail);
  const evaluation = obj(detail.newEvaluationResult);
  const qualifier = obj(obj(evaluation.evaluationResultIdentifier).evaluationResultQualifier);
  const ruleName = str(detail.configRuleName) ?? str(qualifier.configRuleName);
  const resourceType = str(detail.resourceType) ?? str(qualifier.resourceType);
  const resourceId = str(detail.resourceId) ?? str(qualifier.resourceId);
  const account = accountId(detail.awsAccountId) ?? accountId(event.account);
  const compliance = str(evaluation.complianceType);
  const eventId = str(event.id);
  const from = { source: 'config' as const, ...(eventId ? { findingId: eventId } : {}) };
  const missing = [
    ruleName ? undefined : 'detail.configRuleName',
    resourceType ? undefined : 'detail.resourceType',
    resourceId ? undefined : 'detail.resourceId',
    account ? undefined : 'detail.awsAccountId',
    compliance ? undefined : 'detail.newEvaluationResult.complianceType',
  ].filter(Boolean);
  if (missing.length > 0)
    return { findings: [], rejections: [reject('malformed-event', `Config compliance change without ${missing.join(', ')}`, from)] };
  if (compliance !== 'NON_COMPLIANT' && compliance !== 'COMPLIANT') {
    return {
      findings: [],
      rejections: [
        reject(
          'not-failed',
          `Config rule ${ruleName} evaluated ${resourceType} ${resourceId} as ${compliance}; only NON_COMPLIANT is remediated`,
          from,
        ),
      ],
    };
  }
  const notes: string[] = [];
  let findingRegion = region(detail.awsRegion) ?? region(event.region);
  if (!findingRegion) {
    findingRegion = options.defaultRegion;
    notes.push(`the event names no region; assumed the handler's region ${findingRegion}`);
  }
  if (resourceType === 'AWS::IAM::User' || resourceType === 'AWS::IAM::Role') {
    notes.push(`AWS Config identifies ${resourceType} by its unique id (${resourceId}), not its name`);
  }
  const ordering = str(obj(evaluation.evaluationResultIdentifier).orderingTimestamp);
  return {
    findings: [
      {
        source: 'config',
        id: eventId ?? `${account}|${ruleName}|${resourceType}|${resourceId}|${ordering ?? ''}`,
        rule: ruleName!,
        title: ruleName!,
        severity: 'unknown',
        status: compliance === 'NON_COMPLIANT' ? 'FAILED' : 'PASSED',
        partition: parseArn(str(detail.configRuleARN) ?? '')?.partition ?? 'aws',
        account: account!,
        region: findingRegion,
        resource: { type: resourceType!, id: apiId(resourceType!, resourceId!), raw: qualifier },
        requestedActions: [],
        raw: event,
        notes,
      },
    ],
    rejections: [],
  };
}
