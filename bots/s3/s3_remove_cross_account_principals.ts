import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName } from './bucket';
import { readBucketPolicy } from './bucket-policy';
import { withoutCrossAccountPrincipals } from './cross-account';
import { BUCKET_POLICY_KIND, BUCKET_POLICY_UNDO, bucketPolicyUndo, bucketPolicyUndoer } from './s3-undo';
import { sdk } from '../sdk';

const NAME = 's3_remove_cross_account_principals';

const accountList = z
  .union([z.array(z.string()), z.string().transform((text) => text.split(',').filter((s) => s.trim() !== ''))])
  .transform((ids) => ids.map((id) => id.trim()))
  .pipe(z.array(z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits')));

export default defineBot({
  meta: {
    name: NAME,
    summary: "Remove other accounts' principals from the bucket policy's Allow statements, keeping every other statement",
    description:
      'Reads the bucket policy and drops, from each Allow statement, the AWS principals (account ids, IAM and STS ARNs) of ' +
      "accounts other than the bucket's own and those in `allowed_accounts`. Every other statement and field is kept as it " +
      'was and in its order: Deny statements, service and federated principals, and `*` (public access is for ' +
      's3_block_all_public_access). A statement left without principals is dropped; when none is left the policy is ' +
      'deleted. Other accounts lose the access the policy gave them; the removed principals are in the change report.',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.6'] },
    params: z.strictObject({
      allowed_accounts: accountList
        .default([])
        .describe('accounts whose principals stay (comma-separated in an AUTO: argument), e.g. a log archive account'),
    }),
    permissions: [
      {
        actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read the bucket policy and write it back without the foreign principals (delete it when no statement is left)',
      },
    ],
    undo: { [BUCKET_POLICY_KIND]: BUCKET_POLICY_UNDO },
  },
  undoers: { [BUCKET_POLICY_KIND]: bucketPolicyUndoer },
  async run(ctx) {
    const { S3Client, PutBucketPolicyCommand, DeleteBucketPolicyCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    const target = bucketArn(ctx.partition, bucket);
    const changes = new ChangeSet(ctx);
    const policy = await readBucketPolicy(s3, bucket);
    const cleanup = policy ? withoutCrossAccountPrincipals(policy, ctx.account, new Set(ctx.params.allowed_accounts)) : undefined;
    if (cleanup) {
      const what = `removed ${cleanup.removed.join('; ')}`;
      const updated = cleanup.policy;
      if (updated) {
        await changes.apply(
          {
            action: 's3:PutBucketPolicy',
            target,
            description: `bucket policy: ${what}; every other statement kept`,
            undo: bucketPolicyUndo(policy, updated),
          },
          () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(updated) })),
        );
      } else {
        await changes.apply(
          {
            action: 's3:DeleteBucketPolicy',
            target,
            description: `bucket policy: ${what}; no statement left, policy deleted`,
            undo: bucketPolicyUndo(policy, null),
          },
          () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })),
        );
      }
    }
    return changes.result(
      `the bucket policy of ${bucket} no longer lets other accounts in: ${cleanup?.removed.join('; ')}`,
      policy
        ? `the bucket policy of ${bucket} allows no principal of another account`
        : `${bucket} has no bucket policy, so it lets no other account in`,
    );
  },
});
