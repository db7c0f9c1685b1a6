import type { S3Client } from '@aws-sdk/client-s3';
import { sdk } from '../sdk';

/** The bucket ARN; bucket ARNs carry neither region nor account. */
export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

const BUCKET_ARN = /^arn:[\w-]+:s3:::([^/]+)$/;
/** Letters, digits, dots, hyphens and (in legacy us-east-1 names) underscores; no `/` or `:`, so object keys and other ARNs never pass. */
export const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

/**
 * The bucket name the S3 API takes. Findings name the bucket either way
 * (Security Hub gives `arn:aws:s3:::name`); anything else, an object ARN or an
 * access point, is rejected rather than guessed at.
 */
export function bucketName(resourceId: string, bot: string): string {
  const name = BUCKET_ARN.exec(resourceId)?.[1] ?? resourceId;
  if (!BUCKET_NAME.test(name)) {
    throw new Error(`${bot}: "${resourceId}" is not an S3 bucket name or bucket ARN`);
  }
  return name;
}

/** SDK v3 names S3 service errors by their code (`NoSuchBucketPolicy`, `NotFound`). */
export function isS3Error(error: unknown, ...names: string[]): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && names.includes(name);
}

/**
 * Whether `bucket` exists in `account` (HeadBucket with the owner check): false
 * when there is no such bucket; `notOwned` when it exists elsewhere (or access
 * is denied: S3 answers 403 to both), since bucket names are global and one
 * someone else created first must never receive this account's logs.
 */
export async function bucketInAccount(s3: S3Client, bucket: string, account: string, notOwned: () => Error): Promise<boolean> {
  const { HeadBucketCommand } = await sdk.s3();
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: account }));
    return true;
  } catch (error) {
    if (isS3Error(error, 'NotFound', 'NoSuchBucket')) return false;
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) throw notOwned();
    throw error;
  }
}
