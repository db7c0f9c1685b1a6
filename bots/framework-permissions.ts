/**
 * Permissions cloudmend itself needs in a member account, besides what the
 * bots declare. Declared once here: the handler narrows its session policy to
 * them and the deployer adds them to the member role, so the two cannot drift.
 */
import { USER_RESOURCES } from './iam/user';
import type { Permission } from './types';

/**
 * The name the tag lookup's credentials are cached and audited under. Not
 * snake_case, so it can never be mistaken for (or collide with) a bot.
 */
export const TAG_LOOKUP_NAME = 'cloudmend:tag-lookup';

/** Tags of resources the Resource Groups Tagging API covers (EC2, RDS, CloudTrail...). */
export const TAG_LOOKUP_GET_RESOURCES: Permission = {
  actions: ['tag:GetResources'],
  // tag:GetResources supports no resource-level permissions.
  resources: ['*'],
  reason: "read the tags of the finding's resource when the finding does not carry them, so a resource tagged for exclusion is left alone",
};

/** IAM users: the tagging API does not cover IAM, so their tags are read from IAM itself. */
export const TAG_LOOKUP_LIST_USER_TAGS: Permission = {
  actions: ['iam:ListUserTags'],
  resources: USER_RESOURCES,
  reason: "read the tags of the finding's IAM user (not covered by the tagging API), so a user tagged for exclusion is left alone",
  global: true,
};

/** IAM roles, read from IAM itself like users. A role's ARN may carry a path, as a user's may. */
export const TAG_LOOKUP_LIST_ROLE_TAGS: Permission = {
  actions: ['iam:ListRoleTags'],
  resources: ['arn:{partition}:iam::{account}:role/{resourceId}', 'arn:{partition}:iam::{account}:role/*/{resourceId}'],
  reason: "read the tags of the finding's IAM role (not covered by the tagging API), so a role tagged for exclusion is left alone",
  global: true,
};

/**
 * S3 buckets, read from S3 itself: the tagging API answers for a bucket only
 * once it has been tagged, and lags behind a tag just set.
 */
export const TAG_LOOKUP_GET_BUCKET_TAGGING: Permission = {
  actions: ['s3:GetBucketTagging'],
  resources: ['arn:{partition}:s3:::{resourceId}'],
  reason: "read the live tags of the finding's bucket, so a bucket tagged for exclusion is left alone",
};

/** KMS keys, read from KMS itself (the key's own tags, which its key policy may also guard). */
export const TAG_LOOKUP_LIST_KEY_TAGS: Permission = {
  actions: ['kms:ListResourceTags'],
  resources: ['arn:{partition}:kms:{region}:{account}:key/{resourceId}'],
  reason: "read the live tags of the finding's KMS key, so a key tagged for exclusion is left alone",
};

/** EC2 key pairs: the tagging API names them by key-pair id, the finding by name; EC2 answers by name. */
export const TAG_LOOKUP_DESCRIBE_KEY_PAIRS: Permission = {
  actions: ['ec2:DescribeKeyPairs'],
  // EC2 Describe actions support no resource-level permissions.
  resources: ['*'],
  reason:
    "read the tags of the finding's key pair (the tagging API knows key pairs by id, not name), so one tagged for exclusion is left alone",
};

/** AMIs and EBS snapshots: read from EC2 by id, as their account-less ARNs give the tagging API nothing sure to match. */
export const TAG_LOOKUP_DESCRIBE_EC2_TAGS: Permission = {
  actions: ['ec2:DescribeTags'],
  // EC2 Describe actions support no resource-level permissions.
  resources: ['*'],
  reason: "read the tags of the finding's AMI or EBS snapshot from EC2 itself, so one tagged for exclusion is left alone",
};

/** Auto Scaling groups: not covered by the tagging API. */
export const TAG_LOOKUP_DESCRIBE_AUTO_SCALING_GROUPS: Permission = {
  actions: ['autoscaling:DescribeAutoScalingGroups'],
  // autoscaling:DescribeAutoScalingGroups supports no resource-level permissions; it returns the group's tags with it.
  resources: ['*'],
  reason: "read the tags of the finding's Auto Scaling group (not covered by the tagging API), so one tagged for exclusion is left alone",
};

/** CloudFormation stacks named without their ARN (which carries an id no name gives): DescribeStacks answers by name. */
export const TAG_LOOKUP_DESCRIBE_STACKS: Permission = {
  actions: ['cloudformation:DescribeStacks'],
  resources: ['arn:{partition}:cloudformation:{region}:{account}:stack/{resourceId}/*'],
  reason:
    "read the tags of the finding's stack (its ARN carries an id the finding may not give), so one tagged for exclusion is left alone",
};

/**
 * CloudFront distributions: a global service answered in us-east-1 whatever
 * regions are enabled, so, like IAM, not bound to the enabled regions.
 */
export const TAG_LOOKUP_LIST_DISTRIBUTION_TAGS: Permission = {
  actions: ['cloudfront:ListTagsForResource'],
  resources: ['arn:{partition}:cloudfront::{account}:distribution/{resourceId}'],
  reason: "read the tags of the finding's CloudFront distribution, so one tagged for exclusion is left alone",
  global: true,
};

/** Everything the exclusion-tag lookup may do: read tags, nothing else. */
export const TAG_LOOKUP_PERMISSIONS: readonly Permission[] = [
  TAG_LOOKUP_GET_RESOURCES,
  TAG_LOOKUP_LIST_USER_TAGS,
  TAG_LOOKUP_LIST_ROLE_TAGS,
  TAG_LOOKUP_GET_BUCKET_TAGGING,
  TAG_LOOKUP_LIST_KEY_TAGS,
  TAG_LOOKUP_DESCRIBE_KEY_PAIRS,
  TAG_LOOKUP_DESCRIBE_EC2_TAGS,
  TAG_LOOKUP_DESCRIBE_AUTO_SCALING_GROUPS,
  TAG_LOOKUP_DESCRIBE_STACKS,
  TAG_LOOKUP_LIST_DISTRIBUTION_TAGS,
];

/** Types whose tags are read with their own service's API; every other type but the account goes through the tagging API. */
const OWN_API_LOOKUP: Readonly<Record<string, Permission>> = {
  'AWS::IAM::User': TAG_LOOKUP_LIST_USER_TAGS,
  'AWS::IAM::Role': TAG_LOOKUP_LIST_ROLE_TAGS,
  'AWS::S3::Bucket': TAG_LOOKUP_GET_BUCKET_TAGGING,
  'AWS::KMS::Key': TAG_LOOKUP_LIST_KEY_TAGS,
  'AWS::EC2::KeyPair': TAG_LOOKUP_DESCRIBE_KEY_PAIRS,
  'AWS::EC2::Image': TAG_LOOKUP_DESCRIBE_EC2_TAGS,
  'AWS::EC2::Snapshot': TAG_LOOKUP_DESCRIBE_EC2_TAGS,
  'AWS::AutoScaling::AutoScalingGroup': TAG_LOOKUP_DESCRIBE_AUTO_SCALING_GROUPS,
  'AWS::CloudFormation::Stack': TAG_LOOKUP_DESCRIBE_STACKS,
  'AWS::CloudFront::Distribution': TAG_LOOKUP_LIST_DISTRIBUTION_TAGS,
};

/**
 * The lookups the member role must allow for bots acting on these resource
 * types: a deployment of S3 bots alone reads no stack's or key pair's tags, so
 * its role cannot either. The account itself has no tags to read.
 */
export function frameworkPermissionsFor(resourceTypes: Iterable<string>): Permission[] {
  const needed = new Set<Permission>();
  for (const type of resourceTypes) {
    if (type === 'AWS::::Account') continue;
    needed.add(OWN_API_LOOKUP[type] ?? TAG_LOOKUP_GET_RESOURCES);
  }
  return TAG_LOOKUP_PERMISSIONS.filter((permission) => needed.has(permission));
}
