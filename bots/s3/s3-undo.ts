/**
 * Undo for the bucket changes S3 bots share (issue #11): the bucket policy and
 * the bucket ACL as they were, and the kinds that are left as they are (the
 * buckets cloudmend creates or sets up to receive logs).
 */
import type { Grant, S3Client } from '@aws-sdk/client-s3';
import type { PlannedChange } from '../changes';
import type { Undoer, UndoKind } from '../types';
import { readBucketPolicy } from './bucket-policy';
import { bucketOfTarget } from './public-access-block';
import { sdk } from '../sdk';

const BUCKET = 'arn:{partition}:s3:::{resourceId}';

export const BUCKET_POLICY_KIND = 'bucket-policy';

/** The policy as JSON (compared by content on undo), or null when the bucket has none. */
export async function bucketPolicyState(s3: S3Client, bucket: string): Promise<unknown> {
  return (await readBucketPolicy(s3, bucket)) ?? null;
}

/** The undo record of a bucket policy write: the policy before (null: none) and after (null: deleted). */
export function bucketPolicyUndo(before: unknown, after: unknown): NonNullable<PlannedChange['undo']> {
  return { kind: BUCKET_POLICY_KIND, before: before ?? null, after: after ?? null };
}

export const BUCKET_POLICY_UNDO: UndoKind = {
  reversible: true,
  how: 'puts the bucket policy back as it was (deletes it if the bucket had none)',
  permissions: [
    {
      actions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      resources: [BUCKET],
      reason: 'undo: read the bucket policy and put back (or delete) the recorded one',
    },
  ],
};

export const bucketPolicyUndoer: Undoer = {
  async read(ctx) {
    const { S3Client } = await sdk.s3();
    return bucketPolicyState(ctx.client(S3Client), bucketOfTarget(ctx.target));
  },
  async write(ctx, state) {
    const { S3Client, PutBucketPolicyCommand, DeleteBucketPolicyCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const Bucket = bucketOfTarget(ctx.target);
    if (state === null || state === undefined) await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    else await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(state) }));
  },
};

export const BUCKET_ACL_KIND = 'bucket-acl';

export interface AclState {
  owner: string | null;
  grants: Array<{ type: string; id?: string; uri?: string; email?: string; permission: string }>;
}

/** The owner and grants, without display names (S3 fills those in), in a stable order. */
export function aclState(owner: string | undefined, grants: readonly Grant[]): AclState {
  const list = grants.map((g) => ({
    type: g.Grantee?.Type ?? 'CanonicalUser',
    ...(g.Grantee?.ID ? { id: g.Grantee.ID } : {}),
    ...(g.Grantee?.URI ? { uri: g.Grantee.URI } : {}),
    ...(g.Grantee?.EmailAddress ? { email: g.Grantee.EmailAddress } : {}),
    permission: g.Permission ?? 'READ',
  }));
  return { owner: owner ?? null, grants: list.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

export const BUCKET_ACL_UNDO: UndoKind = {
  reversible: true,
  how: 'puts the bucket ACL back as it was, every grant the remediation removed included',
  permissions: [
    {
      actions: ['s3:GetBucketAcl', 's3:PutBucketAcl'],
      resources: [BUCKET],
      reason: 'undo: read the bucket ACL and put back the recorded one',
    },
  ],
};

export const bucketAclUndoer: Undoer = {
  async read(ctx) {
    const { S3Client, GetBucketAclCommand } = await sdk.s3();
    const acl = await ctx.client(S3Client).send(new GetBucketAclCommand({ Bucket: bucketOfTarget(ctx.target) }));
    return aclState(acl.Owner?.ID, acl.Grants ?? []);
  },
  async write(ctx, state) {
    const { S3Client, PutBucketAclCommand } = await sdk.s3();
    const { owner, grants } = state as AclState;
    await ctx.client(S3Client).send(
      new PutBucketAclCommand({
        Bucket: bucketOfTarget(ctx.target),
        AccessControlPolicy: {
          ...(owner ? { Owner: { ID: owner } } : {}),
          Grants: grants.map((g) => ({
            Grantee: {
              Type: g.type as 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail',
              ...(g.id ? { ID: g.id } : {}),
              ...(g.uri ? { URI: g.uri } : {}),
              ...(g.email ? { EmailAddress: g.email } : {}),
            },
            Permission: g.permission as 'FULL_CONTROL',
          })),
        },
      }),
    );
  },
};

/** Everything done to the bucket cloudmend creates or sets up to receive logs (created, tagged, blocked, its policy). */
export const LOG_BUCKET_KIND = 'log-bucket';

export const LOG_BUCKET_UNDO: UndoKind = {
  reversible: false,
  why: 'the bucket that receives the logs (created, tagged, public access blocked, policy letting the service write) is left as it is: it holds logs and serves later remediations too; delete it by hand when unwanted',
};

/** The undo record of each of those changes: nothing to restore from, the kind says why. */
export const LOG_BUCKET_CHANGE = { kind: LOG_BUCKET_KIND, before: null, after: null } as const;
