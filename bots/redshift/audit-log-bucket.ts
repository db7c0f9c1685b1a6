/**
 * The per-account, per-Region bucket redshift_enable_audit_logging delivers
 * to when told to log to S3 without a bucket: created once (see
 * ensureDeliveryBucket), with a policy letting Redshift deliver audit logs of
 * this account's clusters only.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import { bucketArn } from '../s3/bucket';
import type { PolicyStatement } from '../s3/bucket-policy';
import { ensureDeliveryBucket } from '../s3/delivery-bucket';

export const REDSHIFT_SERVICE = 'redshift.amazonaws.com';

export function auditLogBucketName(account: string, region: string): string {
  return `cloudmend-redshift-audit-logs-${account}-${region}`;
}

/** The two grants Redshift audit logging needs, limited to clusters of this account (confused deputy). */
export function auditLogDeliveryStatements(bucket: string, partition: string, account: string): PolicyStatement[] {
  const arn = bucketArn(partition, bucket);
  const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };
  return [
    {
      Sid: 'CloudmendRedshiftAuditLogAclCheck',
      Effect: 'Allow',
      Principal: { Service: REDSHIFT_SERVICE },
      Action: 's3:GetBucketAcl',
      Resource: arn,
      Condition: fromThisAccount,
    },
    {
      Sid: 'CloudmendRedshiftAuditLogWrite',
      Effect: 'Allow',
      Principal: { Service: REDSHIFT_SERVICE },
      Action: 's3:PutObject',
      Resource: `${arn}/*`,
      Condition: fromThisAccount,
    },
  ];
}

export function ensureAuditLogBucket(
  s3: S3Client,
  scope: { partition: string; account: string; region: string; createdBy: string },
  changes: ChangeSet,
): Promise<string> {
  const bucket = auditLogBucketName(scope.account, scope.region);
  return ensureDeliveryBucket(
    s3,
    { ...scope, bucket, service: REDSHIFT_SERVICE, delivery: auditLogDeliveryStatements(bucket, scope.partition, scope.account) },
    changes,
  );
}
