import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName } from './bucket';
import { makeAclPrivate } from './private-acl';
import {
  blockAllPublicAccess,
  PUBLIC_ACCESS_BLOCK_KIND,
  PUBLIC_ACCESS_BLOCK_UNDO,
  publicAccessBlockUndoer,
  readPublicAccessBlock,
} from './public-access-block';
import { BUCKET_ACL_KIND, BUCKET_ACL_UNDO, bucketAclUndoer } from './s3-undo';
import { sdk } from '../sdk';

export default defineBot({
  meta: {
    name: 's3_remove_public_access',
    summary: 'Set the bucket ACL to private and turn on all four public access block settings',
    description:
      'Turns on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets on the bucket when any is off, ' +
      'then, when the bucket ACL grants anything to AllUsers, AuthenticatedUsers or another account, replaces it with ' +
      'the private ACL (owner full control). Grants to the S3 log delivery group are kept so access logging into the ' +
      'bucket keeps working. Buckets whose Object Ownership is BucketOwnerEnforced have ACLs disabled and need no ACL change. ' +
      'The bucket policy and object ACLs are left as they are (the public access block makes public ones ineffective).',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { guardduty: ['Policy:S3/BucketAnonymousAccessGranted', 'Policy:S3/BucketPublicAccessGranted'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: [
          's3:GetBucketAcl',
          's3:GetBucketOwnershipControls',
          's3:GetBucketPublicAccessBlock',
          's3:PutBucketAcl',
          's3:PutBucketPublicAccessBlock',
        ],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read the bucket ACL, Object Ownership and public access block; make the ACL private and block public access',
      },
    ],
    undo: { [BUCKET_ACL_KIND]: BUCKET_ACL_UNDO, [PUBLIC_ACCESS_BLOCK_KIND]: PUBLIC_ACCESS_BLOCK_UNDO },
  },
  undoers: { [BUCKET_ACL_KIND]: bucketAclUndoer, [PUBLIC_ACCESS_BLOCK_KIND]: publicAccessBlockUndoer },
  async run(ctx) {
    const { S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, 's3_remove_public_access');
    const target = bucketArn(ctx.partition, bucket);
    const changes = new ChangeSet(ctx);

    // Block first: it closes public ACL and policy access at once, before the slower-to-audit ACL rewrite.
    const blockedNow = await blockAllPublicAccess(s3, bucket, target, changes, await readPublicAccessBlock(s3, bucket));

    const acl = await makeAclPrivate(s3, bucket, target, changes);
    const aclState = acl.state;

    const pab = blockedNow.length > 0 ? `turned on ${blockedNow.join(', ')}` : 'public access block already fully on';
    return changes.result(
      `removed public access from ${bucket}: ${pab}; ${aclState}`,
      `${bucket} is already private: ${aclState}, all four public access block settings on`,
    );
  },
});
