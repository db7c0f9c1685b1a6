import type { Grant, S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import { aclsDisabled, exposingGrants, privateAclInput } from './bucket-acl';
import { aclState, BUCKET_ACL_KIND } from './s3-undo';
import { sdk } from '../sdk';

/**
 * Makes the bucket ACL private (through `changes`, so dry run holds) when it
 * grants anything to anyone but the owner and S3 log delivery. Returns what the
 * ACL state is now, in words for the bot's message, and whether it changed.
 */
export async function makeAclPrivate(
  s3: S3Client,
  bucket: string,
  target: string,
  changes: ChangeSet,
): Promise<{ changed: boolean; state: string }> {
  const { GetBucketAclCommand, PutBucketAclCommand } = await sdk.s3();
  if (await aclsDisabled(s3, bucket)) return { changed: false, state: 'ACLs disabled (Object Ownership BucketOwnerEnforced)' };
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  const exposing = exposingGrants(acl);
  if (exposing.length === 0) return { changed: false, state: 'ACL grants only the owner' };
  const input = privateAclInput(bucket, acl);
  const kept = input.AccessControlPolicy ? ' (log delivery grants kept)' : '';
  const ownerOnly: Grant[] = acl.Owner?.ID ? [{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner.ID }, Permission: 'FULL_CONTROL' }] : [];
  const undo = {
    kind: BUCKET_ACL_KIND,
    before: aclState(acl.Owner?.ID, acl.Grants ?? []),
    after: aclState(acl.Owner?.ID, input.AccessControlPolicy?.Grants ?? ownerOnly),
  };
  await changes.apply(
    { action: 's3:PutBucketAcl', target, description: `ACL granted ${exposing.join(', ')} -> private${kept}`, undo },
    () => s3.send(new PutBucketAclCommand(input)),
  );
  return { changed: true, state: `ACL made private, removing ${exposing.join(', ')}${kept}` };
}
