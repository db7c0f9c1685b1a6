/**
 * The simplified finding format from the user's seed: `rule.name/severity`,
 * `entity.id/type/region/accountNumber`, `remediation.actions: ["bot_name args"]`.
 * It carries no status: a message in this format reports a failure.
 */
import { reject } from '../rejection';
import { parseActionText, uniqueActions } from './actions';
import { severityOf } from './cloudguard';
import { accountId, arr, obj, region, str, tagsOf, type Json } from './fields';
import { apiId, cloudguardType } from './resources';
import type { SourceOptions, SourceOutput } from './types';

export function fromSeed(payload: Json, options: SourceOptions): SourceOutput {
  const rule = obj(payload.rule);
  const entity = obj(payload.entity);
  const ruleName = str(rule.name);
  const entityId = str(entity.id);
  const account = accountId(entity.accountNumber);
  const actions = arr(obj(payload.remediation).actions);
  const missing = [
    ruleName ? undefined : 'rule.name',
    entityId ? undefined : 'entity.id',
    account ? undefined : 'entity.accountNumber (12 digits)',
    actions.every((a) => typeof a === 'string') ? undefined : 'remediation.actions as a list of "bot_name args" strings',
  ].filter(Boolean);
  if (missing.length > 0) {
    return {
      findings: [],
      rejections: [reject('malformed-event', `seed-format finding without ${missing.join(', ')}`, { source: 'seed' })],
    };
  }
  const notes: string[] = [];
  let findingRegion = region(entity.region);
  if (!findingRegion) {
    findingRegion = options.defaultRegion;
    notes.push(`the finding names no region; assumed the handler's region ${findingRegion}`);
  }
  const type = str(entity.type) ? cloudguardType(str(entity.type)!) : 'CloudGuard::unknown';
  const tags = tagsOf(entity.tags);
  return {
    findings: [
      {
        source: 'seed',
        id: str(payload.id) ?? `${account}|${ruleName}|${entityId}`,
        rule: ruleName!,
        title: ruleName!,
        severity: severityOf(rule.severity),
        status: 'FAILED',
        partition: 'aws',
        account: account!,
        region: findingRegion,
        resource: {
          type,
          id: apiId(type, entityId!),
          ...(str(entity.name) ? { name: str(entity.name) } : {}),
          ...(tags ? { tags } : {}),
          raw: entity,
        },
        requestedActions: uniqueActions(actions.flatMap((a) => parseActionText(a as string) ?? [])),
        raw: payload,
        notes,
      },
    ],
    rejections: [],
  };
}
