/**
 * AWS Config `Config Rules Compliance Change` events. The rule name is the key
 * the config maps to bots; the resource type is already a CloudFormation name.
 */
import { z } from 'zod';
import { CONFIG_SOURCE } from '../../config/sources';
import { reject } from '../rejection';
import { objAt, type Json } from './fields';
import { account, check, lenient, regionName, regionOrDefault, text } from './read';
import { apiId, configType, parseArn } from './resources';
import type { FindingSourceModule, SourceOptions, SourceOutput } from './types';

const Qualifier = lenient({ configRuleName: text, resourceType: text, resourceId: text });

const ComplianceChange = lenient({
  id: text,
  account,
  region: regionName,
  detail: lenient({
    configRuleName: text,
    configRuleARN: text,
    resourceType: text,
    resourceId: text,
    awsAccountId: account,
    awsRegion: regionName,
    newEvaluationResult: lenient({
      complianceType: text,
      evaluationResultIdentifier: lenient({ orderingTimestamp: text, evaluationResultQualifier: Qualifier }),
    }),
  }),
});

const Required = z.object({
  rule: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  account: z.string(),
  compliance: z.string(),
});
const LABELS = {
  rule: 'detail.configRuleName',
  resourceType: 'detail.resourceType',
  resourceId: 'detail.resourceId',
  account: 'detail.awsAccountId',
  compliance: 'detail.newEvaluationResult.complianceType',
};

export function fromConfig(event: Json, options: SourceOptions): SourceOutput {
  const e = ComplianceChange.parse(event);
  const { detail } = e;
  const identifier = detail.newEvaluationResult.evaluationResultIdentifier;
  const qualifier = identifier.evaluationResultQualifier;
  const from = { source: 'config' as const, ...(e.id ? { findingId: e.id } : {}) };
  const checked = check(
    Required,
    {
      rule: detail.configRuleName ?? qualifier.configRuleName,
      resourceType: detail.resourceType ?? qualifier.resourceType,
      resourceId: detail.resourceId ?? qualifier.resourceId,
      account: detail.awsAccountId ?? e.account,
      compliance: detail.newEvaluationResult.complianceType,
    },
    LABELS,
  );
  if (!checked.ok)
    return { findings: [], rejections: [reject('malformed-event', `Config compliance change without ${checked.missing}`, from)] };
  const { rule, resourceType, resourceId, compliance } = checked.value;
  if (compliance !== 'NON_COMPLIANT' && compliance !== 'COMPLIANT') {
    return {
      findings: [],
      rejections: [
        reject(
          'not-failed',
          `Config rule ${rule} evaluated ${resourceType} ${resourceId} as ${compliance}; only NON_COMPLIANT is remediated`,
          from,
        ),
      ],
    };
  }
  const { region, notes } = regionOrDefault(detail.awsRegion ?? e.region, options, 'the event');
  if (resourceType === 'AWS::IAM::User' || resourceType === 'AWS::IAM::Role') {
    notes.push(`AWS Config identifies ${resourceType} by its unique id (${resourceId}), not its name`);
  }
  const type = configType(resourceType);
  return {
    findings: [
      {
        source: 'config',
        id: e.id ?? `${checked.value.account}|${rule}|${resourceType}|${resourceId}|${identifier.orderingTimestamp ?? ''}`,
        rule,
        title: rule,
        severity: 'unknown',
        status: compliance === 'NON_COMPLIANT' ? 'FAILED' : 'PASSED',
        partition: parseArn(detail.configRuleARN ?? '')?.partition ?? 'aws',
        account: checked.value.account,
        region,
        resource: {
          type,
          id: apiId(type, resourceId),
          raw: objAt(event, 'detail', 'newEvaluationResult', 'evaluationResultIdentifier', 'evaluationResultQualifier'),
        },
        requestedActions: [],
        raw: event,
        notes,
      },
    ],
    rejections: [],
  };
}

export const configSource: FindingSourceModule = {
  declaration: CONFIG_SOURCE,
  expected: 'an EventBridge event with detail-type "Config Rules Compliance Change"',
  recognises: (payload) => payload['detail-type'] === 'Config Rules Compliance Change',
  read: fromConfig,
};
