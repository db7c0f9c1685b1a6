import type { S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import { bucketArn } from '../s3/bucket';
import type { PolicyStatement } from '../s3/bucket-policy';
import { ensureDeliveryBucket } from '../s3/delivery-bucket';

export const CONFIG_SERVICE = 'config.amazonaws.com';

/** One per account and Region. */
export function configBucketName(account: string, region: string): string {
  return `cloudmend-config-${account}-${region}`;
}

/** The three statements AWS documents for a Config delivery bucket, limited to this account's recorder (confused deputy). */
export function configDeliveryStatements(bucket: string, partition: string, account: string): PolicyStatement[] {
  const arn = bucketArn(partition, bucket);
  const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };
  return [
    {
      Sid: 'CloudmendConfigAclCheck',
      Effect: 'Allow',
      Principal: { Service: CONFIG_SERVICE },
      Action: 's3:GetBucketAcl',
      Resource: arn,
      Condition: fromThisAccount,
    },
    {
      Sid: 'CloudmendConfigListCheck',
      Effect: 'Allow',
      Principal: { Service: CONFIG_SERVICE },
      Action: 's3:ListBucket',
      Resource: arn,
      Condition: fromThisAccount,
    },
    {
      Sid: 'CloudmendConfigWrite',
      Effect: 'Allow',
      Principal: { Service: CONFIG_SERVICE },
      Action: 's3:PutObject',
      Resource: `${arn}/AWSLogs/${account}/Config/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': account } },
    },
  ];
}

/** Makes sure the account's Config bucket for this Region exists and accepts delivery (see ensureDeliveryBucket). */
export function ensureConfigBucket(
  s3: S3Client,
  scope: { partition: string; account: string; region: string; createdBy: string },
  changes: ChangeSet,
): Promise<string> {
  const bucket = configBucketName(scope.account, scope.region);
  return ensureDeliveryBucket(
    s3,
    { ...scope, bucket, service: CONFIG_SERVICE, delivery: configDeliveryStatements(bucket, scope.partition, scope.account) },
    changes,
  );
}
