import type { BotMeta, DerivedIds, Permission } from './types';

/**
 * Placeholders for ids a bot only learns by reading (the instance's volumes and
 * interfaces, the VPCs they are in, the group it created, the instance's
 * Elastic IPs, a trail's home Region). The member role grants them as `*`; a session policy names
 * exactly the ids the bot read (BotContext.narrowTo), and leaves out a
 * permission whose ids it has not read yet.
 */
export const DERIVED_PLACEHOLDERS = [
  'vpcId',
  'volumeId',
  'networkInterfaceId',
  'securityGroupId',
  'allocationId',
  'trailRegion',
  'groupName',
  'snapshotId',
  'instanceProfileName',
  'roleName',
  'monitoringRoleName',
  'dbSnapshotId',
  'dbInstanceId',
  'layerName',
  'layerAccount',
  'policyName',
  'clusterName',
  'containerInstanceId',
  'internetGatewayId',
  'networkAclId',
  'subnetId',
  'instanceId',
  'flowLogId',
  'kmsKeyId',
  'dbClusterSnapshotId',
  'trailName',
  'recorderName',
] as const;

/**
 * Derived ids that come in pairs: a template naming both renders the i-th of
 * one with the i-th of the other, not every combination. A layer is an
 * (account, name) pair; crossing five publishers with five names would name 25
 * layers, most of which the change never saw, and overflow AssumeRole's limit.
 */
const PAIRED_PLACEHOLDERS: ReadonlyArray<readonly [string, string]> = [['layerAccount', 'layerName']];

/** Values substituted into a permission's resource templates. Absent values become `*`. */
export interface PermissionScope {
  partition: string;
  account?: string;
  region?: string;
  resourceId?: string;
  /**
   * Session policies only: the derived ids read so far. A template naming a
   * derived placeholder renders once per id, and a permission using one absent
   * here is left out. Absent altogether (the member role): derived placeholders are `*`.
   */
  derived?: DerivedIds;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const BASE_KEYS = new Set(['partition', 'region', 'account', 'resourceId']);
/**
 * What an id read from AWS may look like before it goes into a policy: never a
 * wildcard (`*`, `?`), a policy variable (`$`), a path or another ARN. IAM
 * names may also hold `_+=,@`, which mean nothing special in a policy.
 */
const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9._+=,@-]{0,254}$/;

function baseValue(scope: PermissionScope, key: string): string | undefined {
  return BASE_KEYS.has(key) ? (scope[key as 'partition' | 'region' | 'account' | 'resourceId'] ?? undefined) : undefined;
}

/** Renders one ARN template; unknown parts widen to `*` rather than failing, so a missing resource id never blocks a run. */
export function renderResource(template: string, scope: PermissionScope): string {
  const resourceId = scope.resourceId?.startsWith('arn:')
    ? (idWithinArn(template, scope, scope.resourceId) ?? scope.resourceId)
    : scope.resourceId;
  return template.replace(PLACEHOLDER, (_, key: string) => (key === 'resourceId' ? resourceId : baseValue(scope, key)) ?? '*');
}

function derivedKeysOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((key) => !BASE_KEYS.has(key));
}

/**
 * The ARNs a template names in `scope`: one per derived id (every combination,
 * should a template name two), none when a derived id it needs is unknown in a
 * session scope. Ids are checked first: one that could widen the policy throws.
 */
export function renderResources(template: string, scope: PermissionScope): string[] {
  const keys = [...new Set(derivedKeysOf(template))];
  if (keys.length === 0 || scope.derived === undefined) return [renderResource(template, scope)];
  const { derived } = scope;
  for (const key of keys) {
    for (const value of derived[key] ?? []) {
      if (!SAFE_ID.test(value)) {
        throw Object.assign(
          new Error(`refusing to put the id ${JSON.stringify(value)} (${key}) into a session policy: not a plain resource id`),
          {
            name: 'UnsafeResourceId',
          },
        );
      }
    }
  }
  // Each group of keys substituted together: a pair (both named by the template) by index, any other key alone.
  const groups: string[][] = [];
  for (const key of keys) {
    if (groups.some((group) => group.includes(key))) continue;
    const pair = PAIRED_PLACEHOLDERS.find((p) => p.includes(key) && p.every((k) => keys.includes(k)));
    groups.push(pair ? [...pair] : [key]);
  }
  let partial = [template];
  for (const group of groups) {
    const columns = group.map((key) => derived[key] ?? []);
    const rows = columns[0]?.length ?? 0;
    if (columns.some((column) => column.length !== rows)) {
      throw Object.assign(new Error(`paired ids ${group.join(' and ')} must come in equal numbers, one of each per resource`), {
        name: 'UnsafeResourceId',
      });
    }
    partial = partial.flatMap((t) =>
      Array.from({ length: rows }, (_, row) => group.reduce((text, key, column) => text.split(`{${key}}`).join(columns[column]![row]!), t)),
    );
  }
  return partial.map((t) => renderResource(t, scope));
}

/**
 * Findings may name a resource by its ARN where a template expects its id (Security
 * Hub does, and KMS and CloudTrail APIs take either). When the ARN fits the
 * template's text before `{resourceId}`, the id is the rest of the ARN, so
 * `...:key/{resourceId}` with a key ARN renders to that key's ARN instead of a
 * nonsense one that would deny the bot. An ARN that does not fit is left as it is.
 */
function idWithinArn(template: string, scope: PermissionScope, arn: string): string | undefined {
  const at = template.indexOf('{resourceId}');
  if (at < 0) return undefined;
  const prefix = template.slice(0, at).replace(PLACEHOLDER, (_, key: string) => baseValue(scope, key) ?? '*');
  const pattern = new RegExp(`^${prefix.split('*').map(escapeRegExp).join('[^:]*')}`);
  const match = pattern.exec(arn);
  return match && match[0].length < arn.length ? arn.slice(match[0].length) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Statements granting exactly `permissions` in `scope`, merged where actions share
 * resources and conditions, sorted so the output is stable and diffable.
 */
export function statementsFor(permissions: readonly Permission[], scope: PermissionScope): PolicyStatement[] {
  const byShape = new Map<string, PolicyStatement>();
  for (const permission of permissions) {
    const rendered = permission.resources.map((r) => renderResources(r, scope));
    // A session scope that has not read the ids this permission needs yet: nothing of it is granted, not even its other resources.
    if (rendered.some((arns) => arns.length === 0)) continue;
    const resources = [...new Set(rendered.flat())].sort();
    const condition = permission.conditions;
    const key = JSON.stringify([resources, condition ?? null]);
    const existing = byShape.get(key);
    if (existing) {
      existing.Action = [...new Set([...existing.Action, ...permission.actions])].sort();
    } else {
      byShape.set(key, {
        Effect: 'Allow',
        Action: [...new Set(permission.actions)].sort(),
        Resource: resources,
        ...(condition ? { Condition: condition } : {}),
      });
    }
  }
  return [...byShape.values()].sort((a, b) => (a.Action[0] ?? '').localeCompare(b.Action[0] ?? ''));
}

/**
 * The session policy passed to AssumeRole for one bot run: the bot's declared
 * permissions, narrowed to the finding's account, region and resource, and to
 * the derived ids the bot has read (none at first: permissions on resources it
 * finds by reading are granted only once it names them). The effective
 * permissions are the intersection of this and the member role's policy.
 */
export function sessionPolicyFor(meta: Pick<BotMeta, 'permissions'>, scope: PermissionScope): PolicyDocument {
  return { Version: '2012-10-17', Statement: statementsFor(meta.permissions, { ...scope, derived: scope.derived ?? {} }) };
}

/** Every IAM action a bot declares, sorted. */
export function actionsOf(meta: Pick<BotMeta, 'permissions'>): string[] {
  return [...new Set(meta.permissions.flatMap((p) => p.actions))].sort();
}

/**
 * The session name prefix of `cloudmend undo`. The member role grants undo
 * permissions only to sessions so named: a bot's own session (named after the
 * bot) cannot use them, even without its session policy.
 */
export const UNDO_SESSION_PREFIX = 'cloudmend-undo-';

/**
 * What `cloudmend undo` needs for this bot's reversible kinds of change, as
 * the member role grants it: only what the bot's own permissions do not
 * already grant on the same resources, for undo sessions only.
 */
export function undoPermissionsOf(meta: { permissions: readonly Permission[]; undo?: BotMeta['undo'] }): Permission[] {
  const granted = new Set(
    meta.permissions.filter((p) => !p.conditions).flatMap((p) => p.actions.map((a) => `${a} ${[...p.resources].sort().join(',')}`)),
  );
  return Object.values(meta.undo ?? {}).flatMap((kind) => {
    if (!kind.reversible) return [];
    return kind.permissions.flatMap((p) => {
      const actions = p.actions.filter((a) => !granted.has(`${a} ${[...p.resources].sort().join(',')}`));
      if (actions.length === 0) return [];
      return [{ ...p, actions, conditions: { ...p.conditions, StringLike: { 'aws:userid': `*:${UNDO_SESSION_PREFIX}*` } } }];
    });
  });
}
