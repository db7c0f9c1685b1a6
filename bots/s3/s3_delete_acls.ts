import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName } from './bucket';
import { makeAclPrivate } from './private-acl';
import { BUCKET_ACL_KIND, BUCKET_ACL_UNDO, bucketAclUndoer } from './s3-undo';
import { sdk } from '../sdk';

const NAME = 's3_delete_acls';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Reset the bucket ACL to private; leave the bucket policy as it is',
    description:
      'When the bucket ACL grants anything to AllUsers, AuthenticatedUsers or another account, replaces it with the private ' +
      'ACL (owner full control). Grants to the S3 log delivery group are kept so access logging into the bucket keeps working. ' +
      'Buckets whose Object Ownership is BucketOwnerEnforced have ACLs disabled: nothing to do. The bucket policy, the public ' +
      'access block and object ACLs are not touched.',
    resourceTypes: ['AWS::S3::Bucket'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetBucketAcl', 's3:GetBucketOwnershipControls', 's3:PutBucketAcl'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read the bucket ACL and Object Ownership; make the ACL private',
      },
    ],
    undo: { [BUCKET_ACL_KIND]: BUCKET_ACL_UNDO },
  },
  undoers: { [BUCKET_ACL_KIND]: bucketAclUndoer },
  async run(ctx) {
    const { S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    const changes = new ChangeSet(ctx);
    const acl = await makeAclPrivate(s3, bucket, bucketArn(ctx.partition, bucket), changes);
    return changes.result(`reset the ACL of ${bucket}: ${acl.state}`, `the ACL of ${bucket} is already private: ${acl.state}`);
  },
});
