/**
 * CloudGuard/Dome9 compliance notifications, as CloudBots receives them:
 * `rule.complianceTags` with `AUTO: bot args` tags, `remediationActions`,
 * `status` Passed/Failed, `account.id`, `entity` (id, name, type, region, tags).
 */
import { z } from 'zod';
import type { RequestedAction, Severity } from '../../bots/types';
import { CLOUDGUARD_SOURCE } from '../../config/sources';
import { reject, type Rejection } from '../rejection';
import { autoTagActions, parseActionText, uniqueActions } from './actions';
import { isObject, obj, str, type Json } from './fields';
import { account, anything, check, lenient, list, lowerText, regionName, regionOrDefault, tags, text } from './read';
import { apiId, cloudguardType, parseArn } from './resources';
import type { FindingSourceModule, SourceOptions, SourceOutput } from './types';

export function severityOf(value: unknown): Severity {
  const level = str(value)?.toLowerCase();
  switch (level) {
    case 'critical':
    case 'high':
    case 'medium':
    case 'low':
    case 'informational':
      return level;
    case 'info':
      return 'informational';
    default:
      return 'unknown';
  }
}

const Notification = lenient({
  rule: lenient({ name: text, ruleId: text, id: text, complianceTags: anything, severity: anything }),
  entity: lenient({ id: text, name: text, arn: text, type: text, region: regionName, accountNumber: account, tags }),
  account: lenient({ id: account }),
  status: lowerText,
  region: regionName,
  findingKey: text,
  remediationActions: list,
});

const Required = z.object({
  rule: z.string(),
  entityId: z.string(),
  account: z.string(),
  status: z.enum(['failed', 'passed']),
});
const LABELS = { rule: 'rule.name', entityId: 'entity.id', account: 'account.id (12 digits)', status: 'status ("Passed" or "Failed")' };

/** `remediationActions` entries: text names a bot; anything else is reported, never dropped. */
function remediationActions(entries: unknown[], findingId: string): { actions: RequestedAction[]; rejections: Rejection[] } {
  const out: { actions: RequestedAction[]; rejections: Rejection[] } = { actions: [], rejections: [] };
  entries.forEach((entry, index) => {
    const action = typeof entry === 'string' ? parseActionText(entry) : undefined;
    if (action) {
      out.actions.push(action);
      return;
    }
    const got =
      typeof entry === 'string'
        ? 'blank'
        : entry === null
          ? 'null'
          : Array.isArray(entry)
            ? 'a list'
            : typeof entry === 'object'
              ? 'an object'
              : `a ${typeof entry}`;
    out.rejections.push(
      reject(
        'malformed-event',
        `CloudGuard notification ${findingId}: remediationActions[${index}] is ${got}, expected "bot_name args" text`,
        {
          source: 'cloudguard',
          findingId,
        },
      ),
    );
  });
  return out;
}

export function fromCloudGuard(payload: Json, options: SourceOptions): SourceOutput {
  const n = Notification.parse(payload);
  const checked = check(
    Required,
    {
      rule: n.rule.name ?? n.rule.ruleId ?? n.rule.id,
      entityId: n.entity.id ?? n.entity.name ?? n.entity.arn,
      account: n.account.id ?? n.entity.accountNumber,
      status: n.status,
    },
    LABELS,
  );
  if (!checked.ok) {
    return {
      findings: [],
      rejections: [reject('malformed-event', `CloudGuard notification without ${checked.missing}`, { source: 'cloudguard' })],
    };
  }
  const { rule, entityId, status } = checked.value;
  const type = n.entity.type ? cloudguardType(n.entity.type) : 'CloudGuard::unknown';
  const arn = n.entity.arn ? parseArn(n.entity.arn) : undefined;
  const { region, notes } = regionOrDefault(n.region ?? n.entity.region ?? regionName.parse(arn?.region), options, 'the notification');
  const isIdentity = type === 'AWS::IAM::User' || type === 'AWS::IAM::Role';
  const rawId = isIdentity ? (n.entity.name ?? entityId) : entityId;
  const id = n.findingKey ?? `${checked.value.account}|${rule}|${entityId}`;
  const listed = remediationActions(n.remediationActions, id);
  const entity = obj(payload.entity);
  return {
    findings: [
      {
        source: 'cloudguard',
        id,
        rule,
        title: rule,
        severity: severityOf(n.rule.severity),
        status: status === 'failed' ? 'FAILED' : 'PASSED',
        partition: arn?.partition || 'aws',
        account: checked.value.account,
        region,
        resource: {
          type,
          id: apiId(type, rawId),
          ...(n.entity.arn ? { arn: n.entity.arn } : {}),
          ...(n.entity.name ? { name: n.entity.name } : {}),
          ...(n.entity.region ? { region: n.entity.region } : {}),
          ...(n.entity.tags ? { tags: n.entity.tags } : {}),
          raw: entity,
        },
        requestedActions: uniqueActions([
          ...autoTagActions(typeof n.rule.complianceTags === 'string' ? n.rule.complianceTags : ''),
          ...listed.actions,
        ]),
        raw: payload,
        notes,
      },
    ],
    rejections: listed.rejections,
  };
}

export const cloudGuardSource: FindingSourceModule = {
  declaration: CLOUDGUARD_SOURCE,
  expected: 'a CloudGuard compliance notification (rule, entity, status)',
  recognises: (payload) =>
    payload['detail-type'] === undefined &&
    isObject(payload.rule) &&
    isObject(payload.entity) &&
    !(isObject(payload.remediation) && !('status' in payload)),
  read: fromCloudGuard,
};
