/**
 * The live tags of the resource a bot will change, read from its account
 * before any bot runs, so the exclusion tag is honoured whatever the source
 * says. Tags a finding carries are a copy from the source's last scan (a
 * CloudGuard `entity.tags`, an ASFF `Resources[].Tags`) and are never used to
 * decide: a tag set after the scan must count. The effectful half of the
 * exclusion check: plan.ts decides from what this returns.
 *
 * Each type is read with the API that answers for it at once: the resource's
 * own (IAM users and roles, S3 buckets, KMS keys) where the tagging API does
 * not cover it or lags, the tagging API for the rest.
 *
 * The lookup runs with its own credentials: the member role assumed with a
 * session policy holding only the lookup's permission for this resource
 * (bots/framework-permissions.ts, which the deployer grants the member role
 * too), cached like a bot's under the pseudo-bot name `cloudmend:tag-lookup`.
 */
import { z } from 'zod';
import {
  TAG_LOOKUP_DESCRIBE_AUTO_SCALING_GROUPS,
  TAG_LOOKUP_DESCRIBE_EC2_TAGS,
  TAG_LOOKUP_DESCRIBE_KEY_PAIRS,
  TAG_LOOKUP_DESCRIBE_STACKS,
  TAG_LOOKUP_GET_BUCKET_TAGGING,
  TAG_LOOKUP_LIST_DISTRIBUTION_TAGS,
  TAG_LOOKUP_GET_RESOURCES,
  TAG_LOOKUP_LIST_KEY_TAGS,
  TAG_LOOKUP_LIST_ROLE_TAGS,
  TAG_LOOKUP_LIST_USER_TAGS,
  TAG_LOOKUP_NAME,
} from '../bots/framework-permissions';
import { userNameOf } from '../bots/iam/user';
import { sdk } from '../bots/sdk';
import type { Bot, ClientFactory, Finding, Permission, SupportedResourceType } from '../bots/types';
import { createClientFactory, type ClientFactoryOptions } from './aws/client-factory';
import { classifyError } from './errors';
import { parseArn } from './sources/resources';
import type { CredentialsSource, PlannedRun, TagLookup, TagLookupTarget } from './types';

export type { TagLookup, TagLookupTarget } from './types';

const ACCOUNT = 'AWS::::Account';

/** ARNs of the resource types read through the tagging API, for findings that name the resource by id only. */
const ARN_TEMPLATES: Readonly<Partial<Record<SupportedResourceType, string>>> = {
  'AWS::EC2::Instance': 'arn:{partition}:ec2:{region}:{account}:instance/{id}',
  'AWS::EC2::SecurityGroup': 'arn:{partition}:ec2:{region}:{account}:security-group/{id}',
  'AWS::EC2::VPC': 'arn:{partition}:ec2:{region}:{account}:vpc/{id}',
  'AWS::EC2::Volume': 'arn:{partition}:ec2:{region}:{account}:volume/{id}',
  'AWS::EC2::Subnet': 'arn:{partition}:ec2:{region}:{account}:subnet/{id}',
  'AWS::EC2::NetworkAcl': 'arn:{partition}:ec2:{region}:{account}:network-acl/{id}',
  'AWS::EC2::InternetGateway': 'arn:{partition}:ec2:{region}:{account}:internet-gateway/{id}',
  'AWS::EC2::TransitGateway': 'arn:{partition}:ec2:{region}:{account}:transit-gateway/{id}',
  'AWS::RDS::DBInstance': 'arn:{partition}:rds:{region}:{account}:db:{id}',
  'AWS::RDS::DBCluster': 'arn:{partition}:rds:{region}:{account}:cluster:{id}',
  'AWS::RDS::DBSnapshot': 'arn:{partition}:rds:{region}:{account}:snapshot:{id}',
  'AWS::RDS::DBClusterSnapshot': 'arn:{partition}:rds:{region}:{account}:cluster-snapshot:{id}',
  'AWS::CloudTrail::Trail': 'arn:{partition}:cloudtrail:{region}:{account}:trail/{id}',
  'AWS::Lambda::Function': 'arn:{partition}:lambda:{region}:{account}:function:{id}',
  'AWS::ECS::Task': 'arn:{partition}:ecs:{region}:{account}:task/{id}',
  'AWS::ECR::Repository': 'arn:{partition}:ecr:{region}:{account}:repository/{id}',
  'AWS::Redshift::Cluster': 'arn:{partition}:redshift:{region}:{account}:cluster:{id}',
  'AWS::SNS::Topic': 'arn:{partition}:sns:{region}:{account}:{id}',
  'AWS::SQS::Queue': 'arn:{partition}:sqs:{region}:{account}:{id}',
  'AWS::CodeBuild::Project': 'arn:{partition}:codebuild:{region}:{account}:project/{id}',
  'AWS::Logs::LogGroup': 'arn:{partition}:logs:{region}:{account}:log-group:{id}',
};

/** The region CloudFront (a global service) answers in, for the partition. */
function cloudFrontRegion(partition: string, fallback: string): string {
  if (partition === 'aws') return 'us-east-1';
  if (partition === 'aws-cn') return 'cn-northwest-1';
  return fallback;
}

export interface TagLookupDeps {
  credentials: CredentialsSource;
  clientFactory?: (options: ClientFactoryOptions) => ClientFactory;
}

/** Always, whatever tags the finding carries: only the account itself has none to read. */
export function needsTagLookup(finding: Finding): boolean {
  return finding.resource.type !== ACCOUNT;
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
  switch (resource.type) {
    case 'AWS::IAM::User':
      try {
        return {
          via: 'iam:ListUserTags',
          userName: userNameOf({ finding, partition: finding.partition, account: finding.account }),
          region,
        };
      } catch (error) {
        return { via: 'none', reason: (error as Error).message };
      }
    // The identity check (identity.ts) has made sure these ids are names and key ids, never ARNs or wildcards.
    case 'AWS::IAM::Role':
      return { via: 'iam:ListRoleTags', roleName: resource.id, region };
    case 'AWS::S3::Bucket':
      return { via: 's3:GetBucketTagging', bucket: resource.id, region };
    case 'AWS::KMS::Key':
      return { via: 'kms:ListResourceTags', keyId: resource.id, region };
    case 'AWS::EC2::KeyPair':
      return { via: 'ec2:DescribeKeyPairs', keyName: resource.id, region };
    // Their ARNs carry no account, and whether the tagging API answers for that form is not something to bet an exclusion on.
    case 'AWS::EC2::Image':
    case 'AWS::EC2::Snapshot':
      return { via: 'ec2:DescribeTags', resourceId: resource.id, region };
    case 'AWS::AutoScaling::AutoScalingGroup':
      return { via: 'autoscaling:DescribeAutoScalingGroups', groupName: resource.id, region };
    case 'AWS::CloudFormation::Stack':
      return { via: 'cloudformation:DescribeStacks', stackName: resource.id, region };
    case 'AWS::CloudFront::Distribution':
      return {
        via: 'cloudfront:ListTagsForResource',
        arn: `arn:${finding.partition}:cloudfront::${finding.account}:distribution/${resource.id}`,
        region: cloudFrontRegion(finding.partition, region),
      };
  }
  for (const text of [resource.arn, resource.id]) {
    const parsed = text === undefined ? undefined : parseArn(text);
    // The tagging API is regional: ask in the resource's own region (a trail's home region, say), when its ARN has one.
    if (text !== undefined && parsed) return { via: 'tag:GetResources', arn: text, region: parsed.region || region };
  }
  const arn = derivedArn(finding, region);
  if (arn) return { via: 'tag:GetResources', arn, region };
  return {
    via: 'none',
    reason: `cloudmend has no way to read the tags of ${resource.type} (the finding gives no ARN, and none can be derived)`,
  };
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
const LOOKUP_BOTS: Record<TagLookupTarget['via'], Bot> = {
  'tag:GetResources': lookupBot(TAG_LOOKUP_GET_RESOURCES, Object.keys(ARN_TEMPLATES) as SupportedResourceType[]),
  'iam:ListUserTags': lookupBot(TAG_LOOKUP_LIST_USER_TAGS, ['AWS::IAM::User']),
  'iam:ListRoleTags': lookupBot(TAG_LOOKUP_LIST_ROLE_TAGS, ['AWS::IAM::Role']),
  's3:GetBucketTagging': lookupBot(TAG_LOOKUP_GET_BUCKET_TAGGING, ['AWS::S3::Bucket']),
  'kms:ListResourceTags': lookupBot(TAG_LOOKUP_LIST_KEY_TAGS, ['AWS::KMS::Key']),
  'ec2:DescribeKeyPairs': lookupBot(TAG_LOOKUP_DESCRIBE_KEY_PAIRS, ['AWS::EC2::KeyPair']),
  'ec2:DescribeTags': lookupBot(TAG_LOOKUP_DESCRIBE_EC2_TAGS, ['AWS::EC2::Image', 'AWS::EC2::Snapshot']),
  'autoscaling:DescribeAutoScalingGroups': lookupBot(TAG_LOOKUP_DESCRIBE_AUTO_SCALING_GROUPS, ['AWS::AutoScaling::AutoScalingGroup']),
  'cloudformation:DescribeStacks': lookupBot(TAG_LOOKUP_DESCRIBE_STACKS, ['AWS::CloudFormation::Stack']),
  'cloudfront:ListTagsForResource': lookupBot(TAG_LOOKUP_LIST_DISTRIBUTION_TAGS, ['AWS::CloudFront::Distribution']),
};

/**
 * The lookup borrows the bots' credential path: a pseudo-bot whose only
 * permission is the lookup's, which the credential cache narrows to this
 * resource like any bot's (and keys by the pseudo-bot's name).
 */
export function tagLookupRun(finding: PlannedRun['finding'], target: TagLookupTarget): PlannedRun {
  return { finding, bot: LOOKUP_BOTS[target.via], params: {}, requestedBy: 'finding' };
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException']);

function isDenied(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return (typeof e?.name === 'string' && DENIED.has(e.name)) || e?.$metadata?.httpStatusCode === 403;
}

/** Errors that mean the resource does not exist: its bot will report it missing. */
const MISSING = new Set(['NoSuchEntityException', 'NoSuchEntity', 'NoSuchBucket', 'NotFoundException', 'NoSuchResource']);

function isMissing(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return typeof name === 'string' && MISSING.has(name);
}

const tagMap = (tags: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));

type Client = ReturnType<typeof createClientFactory>;
type Tags = Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined;

/** The resource's tags, or undefined when it does not exist. */
async function readTags(target: TagLookupTarget, client: Client): Promise<Tags | undefined> {
  switch (target.via) {
    case 'iam:ListUserTags': {
      const { IAMClient, ListUserTagsCommand } = await sdk.iam();
      // A user has at most 50 tags; one page (up to 100) holds them all.
      return (await client(IAMClient).send(new ListUserTagsCommand({ UserName: target.userName }))).Tags;
    }
    case 'iam:ListRoleTags': {
      const { IAMClient, ListRoleTagsCommand } = await sdk.iam();
      return (await client(IAMClient).send(new ListRoleTagsCommand({ RoleName: target.roleName }))).Tags;
    }
    case 's3:GetBucketTagging': {
      const { S3Client, GetBucketTaggingCommand } = await sdk.s3();
      try {
        return (await client(S3Client).send(new GetBucketTaggingCommand({ Bucket: target.bucket }))).TagSet;
      } catch (error) {
        // S3's answer for a bucket that exists and has no tags.
        if ((error as { name?: unknown })?.name === 'NoSuchTagSet') return [];
        throw error;
      }
    }
    case 'kms:ListResourceTags': {
      const { KMSClient, ListResourceTagsCommand } = await sdk.kms();
      // A key has at most 50 tags; one page (up to 50) holds them all.
      const response = await client(KMSClient).send(new ListResourceTagsCommand({ KeyId: target.keyId }));
      return (response.Tags ?? []).map((t) => ({ Key: t.TagKey, Value: t.TagValue }));
    }
    case 'ec2:DescribeKeyPairs': {
      const { EC2Client, DescribeKeyPairsCommand } = await sdk.ec2();
      try {
        const { KeyPairs = [] } = await client(EC2Client).send(new DescribeKeyPairsCommand({ KeyNames: [target.keyName] }));
        const pair = KeyPairs.find((k) => k.KeyName === target.keyName);
        return pair ? (pair.Tags ?? []) : undefined;
      } catch (error) {
        if ((error as { name?: unknown })?.name === 'InvalidKeyPair.NotFound') return undefined;
        throw error;
      }
    }
    case 'ec2:DescribeTags': {
      const { EC2Client, DescribeTagsCommand } = await sdk.ec2();
      // A resource has at most 50 tags; one page (up to 1,000) holds them all. EC2 answers [] for an id it does not know:
      // the bot then finds the resource missing itself.
      const { Tags = [] } = await client(EC2Client).send(
        new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [target.resourceId] }], MaxResults: 1000 }),
      );
      return Tags.filter((t) => t.ResourceId === target.resourceId);
    }
    case 'autoscaling:DescribeAutoScalingGroups': {
      const { AutoScalingClient, DescribeAutoScalingGroupsCommand } = await sdk.autoScaling();
      // DescribeAutoScalingGroups gives the group's tags with the group, so a group that does not exist reads as such.
      const { AutoScalingGroups = [] } = await client(AutoScalingClient).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [target.groupName] }),
      );
      const group = AutoScalingGroups.find((g) => g.AutoScalingGroupName === target.groupName);
      return group ? (group.Tags ?? []) : undefined;
    }
    case 'cloudformation:DescribeStacks': {
      const { CloudFormationClient, DescribeStacksCommand } = await sdk.cloudFormation();
      try {
        const { Stacks = [] } = await client(CloudFormationClient).send(new DescribeStacksCommand({ StackName: target.stackName }));
        const stack = Stacks.find((st) => st.StackName === target.stackName);
        return stack ? (stack.Tags ?? []) : undefined;
      } catch (error) {
        // CloudFormation's answer for a stack that does not exist.
        if (
          (error as { name?: unknown; message?: unknown })?.name === 'ValidationError' &&
          /does not exist/.test(String((error as Error).message))
        )
          return undefined;
        throw error;
      }
    }
    case 'cloudfront:ListTagsForResource': {
      const { CloudFrontClient, ListTagsForResourceCommand } = await sdk.cloudFront();
      const { Tags } = await client(CloudFrontClient).send(new ListTagsForResourceCommand({ Resource: target.arn }));
      return Tags?.Items ?? [];
    }
    case 'tag:GetResources': {
      const { ResourceGroupsTaggingAPIClient, GetResourcesCommand } = await sdk.resourceGroupsTagging();
      const response = await client(ResourceGroupsTaggingAPIClient).send(new GetResourcesCommand({ ResourceARNList: [target.arn] }));
      // Only the mapping for exactly this ARN counts: another resource's tags must never decide (emulators ignore the list filter).
      // The tagging API knows no resource that was never tagged: for it, that is a resource without tags, or none.
      const mapping = (response.ResourceTagMappingList ?? []).find((m) => m.ResourceARN === target.arn);
      return mapping ? (mapping.Tags ?? []) : undefined;
    }
  }
}

async function read(target: TagLookupTarget, client: Client): Promise<TagLookup> {
  try {
    const tags = await readTags(target, client);
    return tags === undefined ? { status: 'not-found', target } : { status: 'found', tags: tagMap(tags), target };
  } catch (error) {
    if (isMissing(error)) return { status: 'not-found', target };
    throw error;
  }
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
