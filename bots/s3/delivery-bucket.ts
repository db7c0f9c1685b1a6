import type { BucketLocationConstraint, S3Client } from '@aws-sdk/client-s3';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { bucketArn, bucketInAccount, isS3Error } from './bucket';
import { type BucketPolicy, type PolicyStatement, readBucketPolicy, statementsOf, withStatement } from './bucket-policy';
import { blockAllPublicAccess, readPublicAccessBlock } from './public-access-block';
import { LOG_BUCKET_CHANGE, LOG_BUCKET_KIND } from './s3-undo';
import { denyInsecureTransport } from './secure-transport';
import { sdk } from '../sdk';

const CREATED_BY = 'cloudmend:created-by';

export interface DeliveryBucket {
  partition: string;
  account: string;
  region: string;
  /** The bot creating it, for the `cloudmend:created-by` tag. */
  createdBy: string;
  bucket: string;
  /** Who delivers, for messages: `cloudtrail.amazonaws.com`. */
  service: string;
  /** The statements letting the service deliver; added when missing, never changed. */
  delivery: PolicyStatement[];
}

function has(policy: BucketPolicy | undefined, statement: PolicyStatement): boolean {
  const wanted = JSON.stringify(statement);
  return statementsOf(policy).some((s) => JSON.stringify(s) === wanted);
}

/**
 * Makes sure a bucket an AWS service delivers to (CloudTrail logs, Config
 * snapshots) exists, is owned by the account (bucket names are global: one
 * someone else created first is refused), blocks public access and lets the
 * service deliver. Created once (tagged, TLS-only), reused afterwards; a run
 * interrupted after creating it gets what is missing added, nothing else changed.
 */
export async function ensureDeliveryBucket(s3: S3Client, spec: DeliveryBucket, changes: ChangeSet): Promise<string> {
  const { CreateBucketCommand, PutBucketTaggingCommand, PutBucketPolicyCommand } = await sdk.s3();
  const { bucket } = spec;
  const arn = bucketArn(spec.partition, bucket);
  const inAccount = () =>
    bucketInAccount(
      s3,
      bucket,
      spec.account,
      () => new Error(`bucket ${bucket} exists but is not owned by account ${spec.account}; pass bucket=<a bucket of this account>`),
    );
  let exists = await inAccount();
  if (!exists) {
    const outcome = await createOrAdopt(
      changes,
      {
        action: 's3:CreateBucket',
        target: arn,
        undo: LOG_BUCKET_CHANGE,
        description: `bucket ${bucket}: none -> created in ${spec.region}`,
      },
      () =>
        s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            // us-east-1 is the one region that rejects its own name as a location constraint.
            ...(spec.region === 'us-east-1'
              ? {}
              : { CreateBucketConfiguration: { LocationConstraint: spec.region as BucketLocationConstraint } }),
          }),
        ),
      // A concurrent run got there first, or our own create was retried after a lost response.
      (error) => isS3Error(error, 'BucketAlreadyOwnedByYou'),
    );
    if (outcome.created) {
      await changes.apply(
        { action: 's3:PutBucketTagging', target: arn, undo: LOG_BUCKET_CHANGE, description: `tagged ${CREATED_BY}=${spec.createdBy}` },
        () => s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: CREATED_BY, Value: spec.createdBy }] } })),
      );
    } else {
      // Read back with the owner check, then treated as any existing bucket: its block and delivery grant made sure of below.
      if (!(await inAccount())) throw settlingConflict(`bucket ${bucket}`);
      exists = true;
    }
  }
  await blockAllPublicAccess(s3, bucket, arn, changes, exists ? await readPublicAccessBlock(s3, bucket) : {}, LOG_BUCKET_KIND);
  const policy = exists ? await readBucketPolicy(s3, bucket) : undefined;
  const missing = spec.delivery.filter((s) => !has(policy, s));
  if (missing.length > 0) {
    let updated = missing.reduce<BucketPolicy | undefined>((p, s) => withStatement(p, s), policy);
    if (!exists) updated = withStatement(updated, denyInsecureTransport(arn));
    await changes.apply(
      {
        action: 's3:PutBucketPolicy',
        target: arn,
        undo: LOG_BUCKET_CHANGE,
        description: `bucket policy: ${spec.service} may deliver${exists ? ', other statements kept' : '; requests without TLS denied'}`,
      },
      () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(updated) })),
    );
  }
  return bucket;
}
