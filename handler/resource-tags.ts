/**
 * The resource's tags, read from its account when the finding does not carry
 * them (AWS Config events never do; Security Hub and CloudGuard may not), so
 * the exclusion tag is honoured whatever the source. The effectful half of the
 * exclusion check: plan.ts decides from what this returns.
 *
 * The lookup runs with its own credentials: the member role assumed with a
 * session policy holding only the lookup's permission for this resource
 * (bots/framework-permissions.ts, which the deployer grants the member role
 * too), cached like a bot's under the pseudo-bot name `cloudmend:tag-lookup`.
 */
import { z } from 'zod';
import { TAG_LOOKUP_GET_RESOURCES, TAG_LOOKUP_LIST_USER_TAGS, TAG_LOOKUP_NAME } from '../bots/framework-permissions';
import { userNameOf } from '../bots/iam/user';
import type { Bot, ClientFactory, Finding, Permission, SupportedResourceType } from '../bots/types';
import { createClientFactory, type ClientFactoryOptions } from './aws/client-factory';
import { classifyError } from './errors';
import { lazy } from './lazy';
import { parseArn } from './sources/resources';
import type { CredentialsSource, PlannedRun, TagLookup, TagLookupTarget } from './types';

export type { TagLookup, TagLookupTarget } from './types';

const ACCOUNT = 'AWS::::Account';

/** ARNs of the resource types the tagging API covers, for findings that name the resource by id only. */
const ARN_TEMPLATES: Readonly<Partial<Record<SupportedResourceType, string>>> = {
  'AWS::S3::Bucket': 'arn:{partition}:s3:::{id}',
  'AWS::EC2::Instance': 'arn:{partition}:ec2:{region}:{account}:instance/{id}',
  'AWS::EC2::SecurityGroup': 'arn:{partition}:ec2:{region}:{account}:security-group/{id}',
  'AWS::EC2::VPC': 'arn:{partition}:ec2:{region}:{account}:vpc/{id}',
  'AWS::RDS::DBInstance': 'arn:{partition}:rds:{region}:{account}:db:{id}',
  'AWS::KMS::Key': 'arn:{partition}:kms:{region}:{account}:key/{id}',
  'AWS::CloudTrail::Trail': 'arn:{partition}:cloudtrail:{region}:{account}:trail/{id}',
};

export interface TagLookupDeps {
  credentials: CredentialsSource;
  clientFactory?: (options: ClientFactoryOptions) => ClientFactory;
}

/** "No tags known" (the source said nothing) is not "known, none match" (an empty or other tag map). */
export function needsTagLookup(finding: Finding): boolean {
  return finding.resource.tags === undefined && finding.resource.type !== ACCOUNT;
}

function derivedArn(finding: Finding, region: string): string | undefined {
  const template = ARN_TEMPLATES[finding.resource.type as SupportedResourceType];
  if (!template) return undefined;
  const values: Record<string, string> = { partition: finding.partition, region, account: finding.account, id: finding.resource.id };
  return template.replace(/\{(\w+)\}/g, (placeholder, key: string) => values[key] ?? placeholder);
}

/** Pure: which API to ask, about which resource, in which region; or why the tags cannot be looked up. */
export function tagLookupTarget(finding: Finding): TagLookupTarget | { via: 'none'; reason: string } {
  const { resource } = finding;
  const region = resource.region ?? finding.region;
  if (resource.type === 'AWS::IAM::User') {
    try {
      return { via: 'iam:ListUserTags', userName: userNameOf({ finding, partition: finding.partition, account: finding.account }), region };
    } catch (error) {
      return { via: 'none', reason: (error as Error).message };
    }
  }
  for (const text of [resource.arn, resource.id]) {
    const parsed = text === undefined ? undefined : parseArn(text);
    // The tagging API is regional: ask in the resource's own region (a trail's home region, say), when its ARN has one.
    if (text !== undefined && parsed) return { via: 'tag:GetResources', arn: text, region: parsed.region || region };
  }
  const arn = derivedArn(finding, region);
  if (arn) return { via: 'tag:GetResources', arn, region };
  return { via: 'none', reason: `the finding gives no ARN for ${resource.type} ${resource.id}, and cloudmend cannot derive one` };
}

/** The lookup's pseudo-bot for one kind of target: its only permission is what that lookup sends. Never runs. */
function lookupBot(permission: Permission, resourceTypes: SupportedResourceType[]): Bot {
  return {
    meta: {
      name: TAG_LOOKUP_NAME,
      summary: "reads the tags of the finding's resource to honour the exclusion tag",
      resourceTypes,
      params: z.strictObject({}),
      permissions: [permission],
    },
    run: async () => {
      throw new Error(`${TAG_LOOKUP_NAME} is not a bot and never runs`);
    },
  };
}

// Built once: they depend on the kind of lookup only, and the credential cache narrows them to the resource.
const GET_RESOURCES_BOT = lookupBot(TAG_LOOKUP_GET_RESOURCES, Object.keys(ARN_TEMPLATES) as SupportedResourceType[]);
const LIST_USER_TAGS_BOT = lookupBot(TAG_LOOKUP_LIST_USER_TAGS, ['AWS::IAM::User']);

/**
 * The lookup borrows the bots' credential path: a pseudo-bot whose only
 * permission is the lookup's, which the credential cache narrows to this
 * resource like any bot's (and keys by the pseudo-bot's name).
 */
export function tagLookupRun(finding: PlannedRun['finding'], target: TagLookupTarget): PlannedRun {
  return { finding, bot: target.via === 'iam:ListUserTags' ? LIST_USER_TAGS_BOT : GET_RESOURCES_BOT, params: {}, requestedBy: 'finding' };
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException']);

function isDenied(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return (typeof e?.name === 'string' && DENIED.has(e.name)) || e?.$metadata?.httpStatusCode === 403;
}

function isNoSuchEntity(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

const tagMap = (tags: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));

// A cold start that looks nothing up never loads these; a warm one does not re-import them per finding.
const iamModule = lazy(() => import('@aws-sdk/client-iam'));
const taggingModule = lazy(() => import('@aws-sdk/client-resource-groups-tagging-api'));

async function read(target: TagLookupTarget, client: ReturnType<typeof createClientFactory>): Promise<TagLookup> {
  if (target.via === 'iam:ListUserTags') {
    const { IAMClient, ListUserTagsCommand } = await iamModule();
    try {
      // A user has at most 50 tags; one page (up to 100) holds them all.
      const response = await client(IAMClient).send(new ListUserTagsCommand({ UserName: target.userName }));
      return { status: 'found', tags: tagMap(response.Tags), target };
    } catch (error) {
      if (isNoSuchEntity(error)) return { status: 'not-found', target };
      throw error;
    }
  }
  const { ResourceGroupsTaggingAPIClient, GetResourcesCommand } = await taggingModule();
  const response = await client(ResourceGroupsTaggingAPIClient).send(new GetResourcesCommand({ ResourceARNList: [target.arn] }));
  // Only the mapping for exactly this ARN counts: another resource's tags must never decide (emulators ignore the list filter).
  const mapping = (response.ResourceTagMappingList ?? []).find((m) => m.ResourceARN === target.arn);
  return mapping ? { status: 'found', tags: tagMap(mapping.Tags), target } : { status: 'not-found', target };
}

/**
 * Reads the tags of the finding's resource from its account, once per finding,
 * before any bot runs. Never throws: a failure is a result the plan turns into
 * failed runs (retryable or not), so no bot runs without knowing the tags.
 */
export async function lookUpResourceTags(finding: PlannedRun['finding'], deps: TagLookupDeps): Promise<TagLookup> {
  if (!needsTagLookup(finding)) return { status: 'not-needed' };
  const target = tagLookupTarget(finding);
  if (target.via === 'none') return { status: 'unsupported', reason: target.reason };
  try {
    const { credentials } = await deps.credentials.forRun(tagLookupRun(finding, target));
    const client = (deps.clientFactory ?? createClientFactory)({ region: target.region, credentials });
    return await read(target, client);
  } catch (error) {
    return { status: 'failed', error: classifyError(error), denied: isDenied(error), target };
  }
}
