/**
 * The KMS key cloudmend creates for CloudTrail log files: one per account and
 * Region, found again by its alias, with the key policy AWS documents for
 * CloudTrail (the account decides through IAM; CloudTrail may encrypt for this
 * account's trails only, and describe the key).
 */
export const CLOUDTRAIL_KEY_ALIAS = 'alias/cloudmend-cloudtrail';

export function cloudTrailKeyPolicy(partition: string, account: string): Record<string, unknown> {
  const trails = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
  return {
    Version: '2012-10-17',
    Id: 'cloudmend-cloudtrail-key',
    Statement: [
      {
        Sid: 'AccountDecidesThroughIAM',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudTrailEncryptsThisAccountsTrails',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trails },
        },
      },
      {
        Sid: 'CloudTrailDescribesKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}
