/**
 * CloudGuard (Dome9) identifiers of a finding, as its compliance notification
 * carries them, so a team can find the same finding in CloudGuard's findings,
 * exclusion and remediation screens: the rule (ruleId, or the logic hash older
 * rulesets use), the ruleset (bundle id) and the finding key. Pure: read from
 * the notification, nothing looked up.
 */
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
/** CloudGuard ids are strings or numbers (bundle ids are numeric); kept as text, as its screens show them. */
const id = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

export interface CloudGuardIds {
  /** `rule.ruleId` (or `rule.id`): the id an exclusion or remediation names the rule by. */
  ruleId?: string;
  ruleName?: string;
  /** `rule.logicHash`: how rulesets without rule ids identify a rule. */
  ruleLogicHash?: string;
  /** `findingKey`: the finding in CloudGuard's findings screen. */
  findingKey?: string;
  /** `bundle.id`: the ruleset an exclusion or remediation is scoped to. */
  bundleId?: string;
  bundleName?: string;
  /** `entity.dome9Id`: CloudGuard's id of the resource. */
  entityId?: string;
  /** `account.dome9CloudAccountId`: CloudGuard's id of the cloud account (exclusions may name it). */
  cloudAccountId?: string;
}

export function cloudGuardIdsOf(notification: unknown): CloudGuardIds | undefined {
  const n = obj(notification);
  const rule = obj(n.rule);
  const bundle = obj(n.bundle);
  const fields: Array<[keyof CloudGuardIds, string | undefined]> = [
    ['ruleId', id(rule.ruleId) ?? id(rule.id)],
    ['ruleName', id(rule.name)],
    ['ruleLogicHash', id(rule.logicHash)],
    ['findingKey', id(n.findingKey)],
    ['bundleId', id(bundle.id)],
    ['bundleName', id(bundle.name)],
    ['entityId', id(obj(n.entity).dome9Id)],
    ['cloudAccountId', id(obj(n.account).dome9CloudAccountId)],
  ];
  const present = fields.filter(([, value]) => value !== undefined);
  return present.length > 0 ? (Object.fromEntries(present) as CloudGuardIds) : undefined;
}
