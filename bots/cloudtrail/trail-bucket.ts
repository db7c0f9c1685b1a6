import type { BucketLocationConstraint, S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import { bucketArn, isS3Error } from '../s3/bucket';
import { type BucketPolicy, type PolicyStatement, readBucketPolicy, statementsOf, withStatement } from '../s3/bucket-policy';
import { blockAllPublicAccess, readPublicAccessBlock } from '../s3/public-access-block';
import { denyInsecureTransport } from '../s3/secure-transport';

export const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';
const CREATED_BY = 'cloudmend:created-by';

/** One per account and Region (the trail's home Region). */
export function trailBucketName(account: string, region: string): string {
  return `cloudmend-cloudtrail-${account}-${region}`;
}

/** The two statements AWS documents for a trail's bucket, limited to that one trail (confused deputy). */
export function trailDeliveryStatements(bucket: string, partition: string, account: string, trailArn: string): PolicyStatement[] {
  const arn = bucketArn(partition, bucket);
  return [
    {
      Sid: 'CloudmendCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: 's3:GetBucketAcl',
      Resource: arn,
      Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
    },
    {
      Sid: 'CloudmendCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: 's3:PutObject',
      Resource: `${arn}/AWSLogs/${account}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    },
  ];
}

function hasStatements(policy: BucketPolicy | undefined, wanted: PolicyStatement[]): boolean {
  const present = new Set(statementsOf(policy).map((s) => JSON.stringify(s)));
  return wanted.every((s) => present.has(JSON.stringify(s)));
}

/**
 * Makes sure the account's CloudTrail bucket for this Region exists, owned by
 * the account (bucket names are global: one someone else created first is
 * refused), blocked from public access and accepting delivery from the trail.
 * Created once (tagged, TLS-only), reused afterwards; a run interrupted after
 * creating it gets what is missing added, nothing else changed.
 */
export async function ensureTrailBucket(
  s3: S3Client,
  scope: { partition: string; account: string; region: string; createdBy: string; trailArn: string },
  changes: ChangeSet,
): Promise<string> {
  const { HeadBucketCommand, CreateBucketCommand, PutBucketTaggingCommand, PutBucketPolicyCommand } = await import('@aws-sdk/client-s3');
  const bucket = trailBucketName(scope.account, scope.region);
  const arn = bucketArn(scope.partition, bucket);
  const delivery = trailDeliveryStatements(bucket, scope.partition, scope.account, scope.trailArn);
  let exists = true;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: scope.account }));
  } catch (error) {
    if (!isS3Error(error, 'NotFound', 'NoSuchBucket')) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) {
        throw new Error(
          `CloudTrail bucket ${bucket} exists but is not owned by account ${scope.account}; pass bucket=<a bucket of this account>`,
        );
      }
      throw error;
    }
    exists = false;
  }
  if (!exists) {
    await changes.apply(
      { action: 's3:CreateBucket', target: arn, description: `CloudTrail bucket ${bucket}: none -> created in ${scope.region}` },
      () =>
        s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            // us-east-1 is the one region that rejects its own name as a location constraint.
            ...(scope.region === 'us-east-1'
              ? {}
              : { CreateBucketConfiguration: { LocationConstraint: scope.region as BucketLocationConstraint } }),
          }),
        ),
    );
    await changes.apply({ action: 's3:PutBucketTagging', target: arn, description: `tagged ${CREATED_BY}=${scope.createdBy}` }, () =>
      s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: CREATED_BY, Value: scope.createdBy }] } })),
    );
  }
  await blockAllPublicAccess(s3, bucket, arn, changes, exists ? await readPublicAccessBlock(s3, bucket) : {});
  const policy = exists ? await readBucketPolicy(s3, bucket) : undefined;
  if (!hasStatements(policy, delivery)) {
    const missing = delivery.filter((s) => !hasStatements(policy, [s]));
    let updated = missing.reduce<BucketPolicy | undefined>((p, s) => withStatement(p, s), policy);
    if (!exists) updated = withStatement(updated, denyInsecureTransport(arn));
    await changes.apply(
      {
        action: 's3:PutBucketPolicy',
        target: arn,
        description: `bucket policy: ${CLOUDTRAIL_SERVICE} may deliver the trail's logs${exists ? ', other statements kept' : '; requests without TLS denied'}`,
      },
      () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(updated) })),
    );
  }
  return bucket;
}
