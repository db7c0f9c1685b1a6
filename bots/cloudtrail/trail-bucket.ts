import type { S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import { bucketArn } from '../s3/bucket';
import type { PolicyStatement } from '../s3/bucket-policy';
import { ensureDeliveryBucket } from '../s3/delivery-bucket';

export const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';

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

/**
 * Makes sure the account's CloudTrail bucket for this Region exists and accepts
 * delivery from the trail (see ensureDeliveryBucket: created once, owned by the
 * account, public access blocked, TLS-only).
 */
export async function ensureTrailBucket(
  s3: S3Client,
  scope: { partition: string; account: string; region: string; createdBy: string; trailArn: string },
  changes: ChangeSet,
): Promise<string> {
  const bucket = trailBucketName(scope.account, scope.region);
  return ensureDeliveryBucket(
    s3,
    {
      ...scope,
      bucket,
      service: CLOUDTRAIL_SERVICE,
      delivery: trailDeliveryStatements(bucket, scope.partition, scope.account, scope.trailArn),
    },
    changes,
  );
}
