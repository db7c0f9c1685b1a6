import type { GetBucketAclOutput, Grant, PutBucketAclCommandInput, S3Client } from '@aws-sdk/client-s3';
import { isS3Error } from './bucket';
import { sdk } from '../sdk';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

/**
 * True when the bucket's Object Ownership is BucketOwnerEnforced: ACLs are
 * disabled, grant nothing, and S3 rejects any ACL write but the private one.
 */
export async function aclsDisabled(s3: S3Client, bucket: string): Promise<boolean> {
  const { GetBucketOwnershipControlsCommand } = await sdk.s3();
  try {
    const output = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
    return output.OwnershipControls?.Rules?.some((rule) => rule.ObjectOwnership === 'BucketOwnerEnforced') ?? false;
  } catch (error) {
    if (isS3Error(error, 'OwnershipControlsNotFoundError')) return false;
    throw error;
  }
}

function describeGrant(grant: Grant): string {
  const grantee = grant.Grantee;
  const who =
    grantee?.URI === ALL_USERS
      ? 'AllUsers (anyone)'
      : grantee?.URI === AUTHENTICATED_USERS
        ? 'AuthenticatedUsers (any AWS account)'
        : grantee?.EmailAddress
          ? `account ${grantee.EmailAddress}`
          : grantee?.URI
            ? `group ${grantee.URI}`
            : `canonical user ${grantee?.ID ?? 'unknown'}`;
  return `${who} ${grant.Permission ?? ''}`.trim();
}

function isOwnerGrant(grant: Grant, ownerId: string | undefined): boolean {
  return grant.Grantee?.Type === 'CanonicalUser' && grant.Grantee.ID !== undefined && grant.Grantee.ID === ownerId;
}

/** S3's log delivery group only writes access logs; dropping it would silently stop ACL-based log delivery into this bucket. */
function isLogDeliveryGrant(grant: Grant): boolean {
  return grant.Grantee?.Type === 'Group' && grant.Grantee.URI === LOG_DELIVERY;
}

/**
 * The grants that make the ACL non-private: anyone, any authenticated AWS
 * user, or any account but the owner. Empty when the ACL is private.
 */
export function exposingGrants(acl: GetBucketAclOutput): string[] {
  const ownerId = acl.Owner?.ID;
  return (acl.Grants ?? []).filter((g) => !isOwnerGrant(g, ownerId) && !isLogDeliveryGrant(g)).map(describeGrant);
}

/**
 * The PutBucketAcl input that makes the ACL private. The canned `private` ACL
 * unless the bucket grants S3 log delivery, which an explicit owner-only
 * policy keeps, so fixing exposure does not break access logging into it.
 */
export function privateAclInput(bucket: string, acl: GetBucketAclOutput): PutBucketAclCommandInput {
  const logDelivery = (acl.Grants ?? []).filter(isLogDeliveryGrant);
  if (logDelivery.length === 0 || !acl.Owner?.ID) return { Bucket: bucket, ACL: 'private' };
  return {
    Bucket: bucket,
    AccessControlPolicy: {
      Owner: acl.Owner,
      Grants: [{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner.ID }, Permission: 'FULL_CONTROL' }, ...logDelivery],
    },
  };
}
