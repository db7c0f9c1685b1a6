/**
 * The IAM documents cloudmend deploys, as pure functions of bot metadata and
 * config, so an auditor can print and diff them (`cloudmend policy`) and tests
 * can check them without synthesizing anything.
 *
 * - member role permissions: the union of the enabled bots' declared
 *   permissions and the framework's own (the exclusion-tag lookup,
 *   bots/framework-permissions.ts), regional actions bounded by
 *   `aws:RequestedRegion`, split into managed policies under IAM's
 *   6,144-character limit;
 * - member role trust: only the handler roles, only with the external id;
 * - handler execution role: assume the member roles, write its own logs, DLQ
 *   and output topic, nothing else.
 */
import type { BotMeta, Permission } from '../bots/types';
import { frameworkPermissionsFor } from '../bots/framework-permissions';
import { type PolicyDocument, type PolicyStatement, statementsFor, undoPermissionsOf } from '../bots/permissions';
import { PolicyGenerationError } from './errors';

/** IAM's limit for a customer managed policy, counted without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** IAM's default quota of managed policies attached to one role. */
export const MAX_POLICIES_PER_ROLE = 10;

export interface MemberPolicyScope {
  partition: string;
  account: string;
  /** Enabled regions: regional actions are allowed only there. */
  regions: readonly string[];
}

type BotPermissions = Pick<BotMeta, 'name' | 'permissions' | 'undo' | 'resourceTypes'>;

/**
 * The bots whose permissions the member role grants: the enabled ones, and of
 * the destructive ones only those opted in. The handler refuses to run a
 * destructive bot without opt-in, so a role granting its actions would grant
 * what nothing may use: `enabled: all` must not hand out terminate or delete.
 */
export function botsGrantedPermissions<M extends Pick<BotMeta, 'name' | 'destructive'>>(
  catalog: readonly { meta: M }[],
  enabled: readonly string[],
  optIn: readonly string[],
): M[] {
  const on = new Set(enabled);
  const opted = new Set(optIn);
  return catalog.map((bot) => bot.meta).filter((meta) => on.has(meta.name) && (!meta.destructive || opted.has(meta.name)));
}

/**
 * Rendered with a placeholder longer than any account id, so the size-driven
 * split is the same for every account and never too optimistic.
 */
const ACCOUNT_PLACEHOLDER = 'ACCOUNT_PLACEHOLDER_0';
/**
 * Per bot list (by identity: synth passes one list for every account), then
 * partition and regions: each managed policy's text with the placeholder. Keyed
 * by content instead, every account of a 5,000-account organisation paid for
 * serialising all the bots' permissions again just to find the cached template.
 */
const templateCache = new WeakMap<readonly BotPermissions[], Map<string, string[]>>();

/** Each managed policy's JSON text for one account, as IAM receives it. */
export function memberRolePolicyTexts(bots: readonly BotPermissions[], scope: MemberPolicyScope): string[] {
  let byScope = templateCache.get(bots);
  if (!byScope) {
    byScope = new Map();
    templateCache.set(bots, byScope);
  }
  const key = `${scope.partition}|${scope.regions.join(',')}`;
  let texts = byScope.get(key);
  if (texts === undefined) {
    texts = buildDocuments(bots, { ...scope, account: ACCOUNT_PLACEHOLDER }).map((document) => JSON.stringify(document));
    byScope.set(key, texts);
  }
  return texts.map((text) => text.split(ACCOUNT_PLACEHOLDER).join(scope.account));
}

export function memberRolePolicyDocuments(bots: readonly BotPermissions[], scope: MemberPolicyScope): PolicyDocument[] {
  return memberRolePolicyTexts(bots, scope).map((text) => JSON.parse(text) as PolicyDocument);
}

function buildDocuments(bots: readonly BotPermissions[], scope: MemberPolicyScope): PolicyDocument[] {
  if (scope.regions.length === 0) throw new PolicyGenerationError('no enabled regions: the member role would allow nothing regional');
  const regions = [...new Set(scope.regions)].sort();
  const permissions: Permission[] = [];
  for (const bot of bots) {
    // `cloudmend undo` assumes this role too, with a session policy of one kind of change's undo permissions.
    for (const permission of [...bot.permissions, ...undoPermissionsOf(bot)]) {
      const wildcard = permission.actions.find((action) => action.includes('*'));
      if (wildcard) {
        throw new PolicyGenerationError(`bot ${bot.name} declares the wildcard action "${wildcard}": name each action it needs`);
      }
      permissions.push(permission.global ? permission : withRegionBound(permission, regions));
    }
  }
  if (permissions.length === 0) return [];
  // The handler reads the resource's tags before any bot runs (exclusion tag): only for the types the bots act on.
  for (const permission of frameworkPermissionsFor(bots.flatMap((bot) => bot.resourceTypes))) {
    permissions.push(permission.global ? permission : withRegionBound(permission, regions));
  }
  const statements = withSids(
    statementsFor(permissions, { partition: scope.partition, account: scope.account }).flatMap((s) => splitOversized(s)),
  );
  return packDocuments(
    statements,
    bots.map((b) => b.name),
  );
}

function withRegionBound(permission: Permission, regions: string[]): Permission {
  const conditions = { ...(permission.conditions ?? {}) };
  const stringEquals = { ...(conditions.StringEquals ?? {}) };
  // A bot that already pins regions keeps its (narrower) list.
  if (!('aws:RequestedRegion' in stringEquals)) stringEquals['aws:RequestedRegion'] = regions;
  conditions.StringEquals = stringEquals;
  return { ...permission, conditions };
}

const size = (value: unknown) => JSON.stringify(value).length;
const EMPTY_DOCUMENT_CHARS = size({ Version: '2012-10-17', Statement: [] });

/** A statement too large for one policy (hundreds of actions on one resource) is cut into several with the same resource and condition. */
function splitOversized(statement: PolicyStatement): PolicyStatement[] {
  if (EMPTY_DOCUMENT_CHARS + size(statement) + 20 <= MANAGED_POLICY_MAX_CHARS || statement.Action.length < 2) return [statement];
  const half = Math.ceil(statement.Action.length / 2);
  return [
    ...splitOversized({ ...statement, Action: statement.Action.slice(0, half) }),
    ...splitOversized({ ...statement, Action: statement.Action.slice(half) }),
  ];
}

/** Sids name the service and number its statements, so a reviewer can point at one ("Ec2s2"). */
function withSids(statements: PolicyStatement[]): PolicyStatement[] {
  const counters = new Map<string, number>();
  return statements.map((statement) => {
    const [prefix = 'x'] = (statement.Action[0] ?? 'x').split(':');
    const service = prefix.replace(/[^A-Za-z0-9]/g, '');
    const n = (counters.get(service) ?? 0) + 1;
    counters.set(service, n);
    const sid = `${service.charAt(0).toUpperCase()}${service.slice(1)}${n}`;
    return { Sid: sid, ...statement };
  });
}

function packDocuments(statements: PolicyStatement[], botNames: string[]): PolicyDocument[] {
  const documents: PolicyDocument[] = [];
  let current: PolicyStatement[] = [];
  let currentSize = EMPTY_DOCUMENT_CHARS;
  for (const statement of statements) {
    const added = size(statement) + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && currentSize + added > MANAGED_POLICY_MAX_CHARS) {
      documents.push({ Version: '2012-10-17', Statement: current });
      current = [];
      currentSize = EMPTY_DOCUMENT_CHARS;
    }
    current.push(statement);
    currentSize += size(statement) + (current.length > 1 ? 1 : 0);
  }
  if (current.length > 0) documents.push({ Version: '2012-10-17', Statement: current });
  for (const document of documents) {
    if (size(document) > MANAGED_POLICY_MAX_CHARS) {
      throw new PolicyGenerationError(
        `a single statement exceeds ${MANAGED_POLICY_MAX_CHARS} characters: ${JSON.stringify(document.Statement[0]).slice(0, 200)}...`,
      );
    }
  }
  if (documents.length > MAX_POLICIES_PER_ROLE) {
    throw new PolicyGenerationError(
      `the ${botNames.length} enabled bots need ${documents.length} managed policies, more than the ${MAX_POLICIES_PER_ROLE} IAM attaches to a role by default: enable fewer bots`,
    );
  }
  return documents;
}

/** IAM's default quota for a role trust policy (characters, whitespace excluded). */
export const TRUST_POLICY_MAX_CHARS = 2048;

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Sid: string;
    Effect: 'Allow';
    Principal: { AWS: string };
    Action: 'sts:AssumeRole';
    Condition: { StringEquals: { 'sts:ExternalId': string }; ArnLike: { 'aws:PrincipalArn': string } };
  }>;
}

export interface TrustScope {
  partition: string;
  securityAccount: string;
  externalId: string;
  /** naming.prefix of the deployment: its handler roles' names start with it. */
  prefix?: string;
}

/** Every region's handler role, as one ARN pattern: `cloudmend-handler-*` in the security account. */
export function handlerRoleArnPattern(partition: string, securityAccount: string, prefix = ''): string {
  return handlerRoleArn(partition, securityAccount, '*', prefix);
}

/**
 * Only the security account's handler roles, and only with the external id.
 * The account is the principal and the handler roles are matched by
 * `aws:PrincipalArn` pattern, so the document has the same size at 1 region or
 * 34 (listing one role per region crossed IAM's 2,048 characters at 34), and a
 * member role never names a role that does not exist yet. Anyone who may
 * create roles named `cloudmend-handler-*` in the security account could match
 * the pattern: that account is the trust anchor either way.
 */
export function memberRoleTrustPolicy(scope: TrustScope): TrustPolicyDocument {
  const document: TrustPolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudmendHandlers',
        Effect: 'Allow',
        Principal: { AWS: `arn:${scope.partition}:iam::${scope.securityAccount}:root` },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'sts:ExternalId': scope.externalId },
          ArnLike: { 'aws:PrincipalArn': handlerRoleArnPattern(scope.partition, scope.securityAccount, scope.prefix) },
        },
      },
    ],
  };
  const chars = JSON.stringify(document).length;
  if (chars > TRUST_POLICY_MAX_CHARS) {
    throw new PolicyGenerationError(
      `the member role trust policy is ${chars} characters, over IAM's ${TRUST_POLICY_MAX_CHARS}: shorten roles.externalId (${scope.externalId.length} characters)`,
    );
  }
  return document;
}

/** Names of the per-region handler resources: fixed, so policies can name them before they exist; `prefix` is naming.prefix. */
export function handlerNames(region: string, prefix = '') {
  const p = prefix ? `${prefix}-` : '';
  return {
    role: `${p}cloudmend-handler-${region}`,
    function: `${p}cloudmend-handler-${region}`,
    logGroup: `/aws/lambda/${p}cloudmend-handler-${region}`,
    dlq: `${p}cloudmend-dlq-${region}`,
    inputTopic: `${p}cloudmend-findings-${region}`,
    outputTopic: `${p}cloudmend-results-${region}`,
  };
}

export function handlerRoleArn(partition: string, securityAccount: string, region: string, prefix = ''): string {
  return `arn:${partition}:iam::${securityAccount}:role/${handlerNames(region, prefix).role}`;
}

export interface HandlerPolicyScope {
  partition: string;
  securityAccount: string;
  region: string;
  memberRoleName: string;
  /** In-scope member accounts: the assume-role target list when it fits. */
  accounts: readonly string[];
  /** The organization id, used instead of the account list for large organizations. */
  organizationId?: string;
  /** naming.prefix of the deployment. */
  prefix?: string;
}

/** Above this many accounts the explicit role list would crowd IAM's 10,240-character inline policy limit. */
export const EXPLICIT_ACCOUNT_LIMIT = 100;

/**
 * The handler's execution role. It may assume the member roles and write its
 * own log group, DLQ and output topic; nothing else. Member roles are named
 * one by one when the organization is small enough (exact and auditable);
 * beyond that by name in any account of the organization
 * (`aws:ResourceOrgID`), since the list would not fit in a policy. Either way
 * a member role only accepts this role with the external id.
 */
export function handlerRolePolicy(scope: HandlerPolicyScope): PolicyDocument {
  const { partition, securityAccount, region } = scope;
  const names = handlerNames(region, scope.prefix);
  const accounts = [...new Set(scope.accounts)].sort();
  let assume: PolicyStatement;
  // No account list (stackset mode: accounts join without a redeploy) or too long a list: by organization id.
  if (accounts.length > 0 && accounts.length <= EXPLICIT_ACCOUNT_LIMIT) {
    assume = {
      Sid: 'AssumeMemberRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: accounts.map((account) => `arn:${partition}:iam::${account}:role/${scope.memberRoleName}`),
    };
  } else if (scope.organizationId) {
    assume = {
      Sid: 'AssumeMemberRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: [`arn:${partition}:iam::*:role/${scope.memberRoleName}`],
      Condition: { StringEquals: { 'aws:ResourceOrgID': scope.organizationId } },
    };
  } else {
    throw new PolicyGenerationError(
      `${accounts.length} accounts are too many to list in the handler role's policy, and the inventory has no organization id to bound it by: ` +
        'run `npx cloudmend discover` to write an inventory with organizationId',
    );
  }
  return {
    Version: '2012-10-17',
    Statement: [
      assume,
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [`arn:${partition}:logs:${region}:${securityAccount}:log-group:${names.logGroup}:*`],
      },
      {
        Sid: 'SendToOwnDeadLetterQueue',
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: [`arn:${partition}:sqs:${region}:${securityAccount}:${names.dlq}`],
      },
      {
        Sid: 'PublishResults',
        Effect: 'Allow',
        Action: ['sns:Publish'],
        Resource: [`arn:${partition}:sns:${region}:${securityAccount}:${names.outputTopic}`],
      },
    ],
  };
}
