import type { PublicAccessBlockConfiguration, S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import { isS3Error } from './bucket';

export const PUBLIC_ACCESS_BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

const ALL_BLOCKED: Required<Pick<PublicAccessBlockConfiguration, (typeof PUBLIC_ACCESS_BLOCK_FLAGS)[number]>> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** The bucket-level settings; a bucket that never had any has every flag off. */
export async function readPublicAccessBlock(s3: S3Client, bucket: string): Promise<PublicAccessBlockConfiguration> {
  const { GetPublicAccessBlockCommand } = await import('@aws-sdk/client-s3');
  try {
    const output = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    return output.PublicAccessBlockConfiguration ?? {};
  } catch (error) {
    if (isS3Error(error, 'NoSuchPublicAccessBlockConfiguration')) return {};
    throw error;
  }
}

/** The flags not yet on, in AWS's order. */
export function flagsOff(current: PublicAccessBlockConfiguration): string[] {
  return PUBLIC_ACCESS_BLOCK_FLAGS.filter((flag) => current[flag] !== true);
}

/**
 * Turns all four bucket-level settings on when any of `current` is off
 * (through `changes`, so dry run holds). Returns the flags that were off,
 * empty when nothing was to do.
 */
export async function blockAllPublicAccess(
  s3: S3Client,
  bucket: string,
  target: string,
  changes: ChangeSet,
  current: PublicAccessBlockConfiguration,
): Promise<string[]> {
  const { PutPublicAccessBlockCommand } = await import('@aws-sdk/client-s3');
  const off = flagsOff(current);
  if (off.length === 0) return off;
  await changes.apply(
    {
      action: 's3:PutBucketPublicAccessBlock',
      target,
      description: `public access block: ${off.join(', ')} off -> all four settings on`,
    },
    () => s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_BLOCKED } })),
  );
  return off;
}
