import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName } from './bucket';
import { readBucketPolicy, statementsOf } from './bucket-policy';
import { makeAclPrivate } from './private-acl';
import {
  BUCKET_ACL_KIND,
  BUCKET_ACL_UNDO,
  BUCKET_POLICY_KIND,
  BUCKET_POLICY_UNDO,
  bucketAclUndoer,
  bucketPolicyUndo,
  bucketPolicyUndoer,
} from './s3-undo';
import { sdk } from '../sdk';

const NAME = 's3_delete_permissions';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Reset the bucket ACL to private and delete the bucket policy',
    description:
      'Makes the bucket ACL private (as s3_delete_acls: owner full control, S3 log delivery grants kept, nothing to do when ACLs ' +
      'are disabled) and deletes the bucket policy, whatever it says: every principal the policy let in, including other ' +
      'accounts and AWS services delivering into the bucket, loses that access, and statements that denied something (such as ' +
      'requests without TLS) are gone too. Destructive: runs only when opted in. The policy text is in the change report, ' +
      'so it can be put back.',
    resourceTypes: ['AWS::S3::Bucket'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetBucketAcl', 's3:GetBucketOwnershipControls', 's3:PutBucketAcl', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read the bucket ACL, Object Ownership and policy; make the ACL private and delete the policy',
      },
    ],
    destructive: true,
    undo: { [BUCKET_ACL_KIND]: BUCKET_ACL_UNDO, [BUCKET_POLICY_KIND]: BUCKET_POLICY_UNDO },
  },
  undoers: { [BUCKET_ACL_KIND]: bucketAclUndoer, [BUCKET_POLICY_KIND]: bucketPolicyUndoer },
  async run(ctx) {
    const { S3Client, DeleteBucketPolicyCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    const target = bucketArn(ctx.partition, bucket);
    const changes = new ChangeSet(ctx);

    const acl = await makeAclPrivate(s3, bucket, target, changes);
    const policy = await readBucketPolicy(s3, bucket);
    let policyState = 'no bucket policy';
    if (policy) {
      const count = statementsOf(policy).length;
      await changes.apply(
        {
          action: 's3:DeleteBucketPolicy',
          target,
          description: `bucket policy with ${count} statement(s) deleted; it was: ${JSON.stringify(policy)}`,
          undo: bucketPolicyUndo(policy, null),
        },
        () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })),
      );
      policyState = `bucket policy with ${count} statement(s) deleted`;
    }
    return changes.result(
      `removed the permissions of ${bucket}: ${acl.state}; ${policyState}`,
      `${bucket} grants nothing beyond its owner: ${acl.state}, no bucket policy`,
    );
  },
});
