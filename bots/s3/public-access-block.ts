import type { PublicAccessBlockConfiguration, S3Client } from '@aws-sdk/client-s3';
import type { ChangeSet } from '../changes';
import type { Undoer, UndoKind } from '../types';
import { isS3Error } from './bucket';
import { sdk } from '../sdk';

export const PUBLIC_ACCESS_BLOCK_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

const ALL_BLOCKED: Required<Pick<PublicAccessBlockConfiguration, (typeof PUBLIC_ACCESS_BLOCK_FLAGS)[number]>> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** The bucket-level settings; a bucket that never had any has every flag off. */
export async function readPublicAccessBlock(s3: S3Client, bucket: string): Promise<PublicAccessBlockConfiguration> {
  const { GetPublicAccessBlockCommand } = await sdk.s3();
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
  /** The kind of change it is for the calling bot: a bucket it set up for logs records its own kind. */
  kind: string = PUBLIC_ACCESS_BLOCK_KIND,
): Promise<string[]> {
  const { PutPublicAccessBlockCommand } = await sdk.s3();
  const off = flagsOff(current);
  if (off.length === 0) return off;
  await changes.apply(
    {
      action: 's3:PutBucketPublicAccessBlock',
      target,
      description: `public access block: ${off.join(', ')} off -> all four settings on`,
      undo: { kind, before: flagsOf(current), after: { ...ALL_BLOCKED } },
    },
    () => s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_BLOCKED } })),
  );
  return off;
}

export const PUBLIC_ACCESS_BLOCK_KIND = 'public-access-block';

/** The four flags as set (absent ones left out): `{}` is a bucket with no public access block at all. */
function flagsOf(config: PublicAccessBlockConfiguration): PublicAccessBlockConfiguration {
  return Object.fromEntries(PUBLIC_ACCESS_BLOCK_FLAGS.flatMap((flag) => (config[flag] === undefined ? [] : [[flag, config[flag]]])));
}

/** The bucket an S3 change names, by ARN (`arn:aws:s3:::name`) or name. */
export function bucketOfTarget(target: string): string {
  return target.includes(':::') ? target.slice(target.indexOf(':::') + 3) : target;
}

export const PUBLIC_ACCESS_BLOCK_UNDO: UndoKind = {
  reversible: true,
  how: 'puts back the four bucket-level public access block settings as they were (removes the block if the bucket had none)',
  permissions: [
    {
      // DeletePublicAccessBlock is authorized as s3:PutBucketPublicAccessBlock.
      actions: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
      resources: ['arn:{partition}:s3:::{resourceId}'],
      reason: 'undo: read the public access block and put back the recorded one',
    },
  ],
};

export const publicAccessBlockUndoer: Undoer = {
  async read(ctx) {
    const { S3Client } = await sdk.s3();
    return flagsOf(await readPublicAccessBlock(ctx.client(S3Client), bucketOfTarget(ctx.target)));
  },
  async write(ctx, state) {
    const { S3Client, PutPublicAccessBlockCommand, DeletePublicAccessBlockCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const Bucket = bucketOfTarget(ctx.target);
    const flags = flagsOf(state as PublicAccessBlockConfiguration);
    if (Object.keys(flags).length === 0) await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    else await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: flags }));
  },
};
