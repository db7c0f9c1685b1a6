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

/** Everything the exclusion-tag lookup may do: read tags, nothing else. */
export const TAG_LOOKUP_PERMISSIONS: readonly Permission[] = [
  TAG_LOOKUP_GET_RESOURCES,
  TAG_LOOKUP_LIST_USER_TAGS,
  TAG_LOOKUP_LIST_ROLE_TAGS,
  TAG_LOOKUP_GET_BUCKET_TAGGING,
  TAG_LOOKUP_LIST_KEY_TAGS,
];

/** Framework permissions the member role must grant whenever any bot is enabled. */
export const FRAMEWORK_PERMISSIONS: readonly Permission[] = TAG_LOOKUP_PERMISSIONS;
