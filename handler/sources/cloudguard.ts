/**
 * CloudGuard/Dome9 compliance notifications, as CloudBots receives them:
 * `rule.complianceTags` with `AUTO: bot args` tags, `remediationActions`,
 * `status` Passed/Failed, `account.id`, `entity` (id, name, type, region, tags).
 */
import type { Severity } from '../../bots/types';
import { reject } from '../rejection';
import { autoTagActions, parseActionText, uniqueActions } from './actions';
import { accountId, arr, obj, region, str, tagsOf, type Json } from './fields';
import { apiId, cloudguardType, parseArn } from './resources';
import type { SourceOptions, SourceOutput } from './types';

export function severityOf(value: unknown): Severity {
  const text = str(value)?.toLowerCase();
  switch (text) {
    case 'critical':
    case 'high':
    case 'medium':
    case 'low':
    case 'informational':
      return text;
    case 'info':
      return 'informational';
    default:
      return 'unknown';
  }
}

export function fromCloudGuard(payload: Json, options: SourceOptions): SourceOutput {
  const rule = obj(payload.rule);
  const entity = obj(payload.entity);
  const ruleName = str(rule.name) ?? str(rule.ruleId) ?? str(rule.id);
  const entityId = str(entity.id) ?? str(entity.name) ?? str(entity.arn);
  const account = accountId(obj(payload.account).id) ?? accountId(entity.accountNumber);
  const statusText = str(payload.status)?.toLowerCase();
  const missing = [
    ruleName ? undefined : 'rule.name',
    entityId ? undefined : 'entity.id',
    account ? undefined : 'account.id (12 digits)',
    statusText === 'failed' || statusText === 'passed' ? undefined : 'status ("Passed" or "Failed")',
  ].filter(Boolean);
  if (missing.length > 0) {
    return {
      findings: [],
      rejections: [reject('malformed-event', `CloudGuard notification without ${missing.join(', ')}`, { source: 'cloudguard' })],
    };
  }

  const entityType = str(entity.type);
  const type = entityType ? cloudguardType(entityType) : 'CloudGuard::unknown';
  const arnText = str(entity.arn);
  const arn = arnText ? parseArn(arnText) : undefined;
  const notes: string[] = [];
  let findingRegion = region(payload.region) ?? region(entity.region) ?? (arn ? region(arn.region) : undefined);
  if (!findingRegion) {
    findingRegion = options.defaultRegion;
    notes.push(`the notification names no region; assumed the handler's region ${findingRegion}`);
  }
  const isIdentity = type === 'AWS::IAM::User' || type === 'AWS::IAM::Role';
  const rawId = isIdentity ? (str(entity.name) ?? entityId!) : entityId!;

  const requested = uniqueActions([
    ...autoTagActions(typeof rule.complianceTags === 'string' ? rule.complianceTags : ''),
    ...arr(payload.remediationActions).flatMap((a) => {
      const action = typeof a === 'string' ? parseActionText(a) : undefined;
      return action ? [action] : [];
    }),
  ]);
  const tags = tagsOf(entity.tags);
  return {
    findings: [
      {
        source: 'cloudguard',
        id: str(payload.findingKey) ?? `${account}|${ruleName}|${entityId}`,
        rule: ruleName!,
        title: ruleName!,
        severity: severityOf(rule.severity),
        status: statusText === 'failed' ? 'FAILED' : 'PASSED',
        partition: arn?.partition || 'aws',
        account: account!,
        region: findingRegion,
        resource: {
          type,
          id: apiId(type, rawId),
          ...(arnText ? { arn: arnText } : {}),
          ...(str(entity.name) ? { name: str(entity.name) } : {}),
          ...(region(entity.region) ? { region: region(entity.region) } : {}),
          ...(tags ? { tags } : {}),
          raw: entity,
        },
        requestedActions: requested,
        raw: payload,
        notes,
      },
    ],
    rejections: [],
  };
}
