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

/** Tags of resources the Resource Groups Tagging API covers (S3, EC2, RDS, KMS, CloudTrail...). */
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

/** Everything the exclusion-tag lookup may do: read tags, nothing else. */
export const TAG_LOOKUP_PERMISSIONS: readonly Permission[] = [TAG_LOOKUP_GET_RESOURCES, TAG_LOOKUP_LIST_USER_TAGS];

/** Framework permissions the member role must grant whenever any bot is enabled. */
export const FRAMEWORK_PERMISSIONS: readonly Permission[] = TAG_LOOKUP_PERMISSIONS;
