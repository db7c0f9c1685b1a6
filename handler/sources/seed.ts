/**
 * The simplified finding format from the user's seed: `rule.name/severity`,
 * `entity.id/type/region/accountNumber`, `remediation.actions: ["bot_name args"]`.
 * It carries no status: a message in this format reports a failure.
 */
import { z } from 'zod';
import { SEED_SOURCE } from '../../config/sources';
import { reject } from '../rejection';
import { parseActionText, uniqueActions } from './actions';
import { severityOf } from './cloudguard';
import { isObject, obj, type Json } from './fields';
import { account, anything, check, lenient, list, regionName, regionOrDefault, tags, text } from './read';
import { apiId, cloudguardType } from './resources';
import type { FindingSourceModule, SourceOptions, SourceOutput } from './types';

const SeedFinding = lenient({
  id: text,
  rule: lenient({ name: text, severity: anything }),
  entity: lenient({ id: text, name: text, type: text, region: regionName, accountNumber: account, tags }),
  remediation: lenient({ actions: list }),
});

const Required = z.object({
  rule: z.string(),
  entityId: z.string(),
  account: z.string(),
  actions: z.array(z.string()),
});
const LABELS = {
  rule: 'rule.name',
  entityId: 'entity.id',
  account: 'entity.accountNumber (12 digits)',
  actions: 'remediation.actions as a list of "bot_name args" strings',
};

export function fromSeed(payload: Json, options: SourceOptions): SourceOutput {
  const seed = SeedFinding.parse(payload);
  const checked = check(
    Required,
    { rule: seed.rule.name, entityId: seed.entity.id, account: seed.entity.accountNumber, actions: seed.remediation.actions },
    LABELS,
  );
  if (!checked.ok) {
    return { findings: [], rejections: [reject('malformed-event', `seed-format finding without ${checked.missing}`, { source: 'seed' })] };
  }
  const { rule, entityId, actions } = checked.value;
  const { region, notes } = regionOrDefault(seed.entity.region, options, 'the finding');
  const type = seed.entity.type ? cloudguardType(seed.entity.type) : 'CloudGuard::unknown';
  return {
    findings: [
      {
        source: 'seed',
        id: seed.id ?? `${checked.value.account}|${rule}|${entityId}`,
        rule,
        title: rule,
        severity: severityOf(seed.rule.severity),
        status: 'FAILED',
        partition: 'aws',
        account: checked.value.account,
        region,
        resource: {
          type,
          id: apiId(type, entityId),
          ...(seed.entity.name ? { name: seed.entity.name } : {}),
          ...(seed.entity.tags ? { tags: seed.entity.tags } : {}),
          raw: obj(payload.entity),
        },
        requestedActions: uniqueActions(actions.flatMap((a) => parseActionText(a) ?? [])),
        raw: payload,
        notes,
      },
    ],
    rejections: [],
  };
}

export const seedSource: FindingSourceModule = {
  declaration: SEED_SOURCE,
  expected: 'a seed-format finding (rule, entity, remediation.actions)',
  recognises: (payload) =>
    payload['detail-type'] === undefined &&
    isObject(payload.rule) &&
    isObject(payload.entity) &&
    isObject(payload.remediation) &&
    !('status' in payload),
  read: fromSeed,
};
