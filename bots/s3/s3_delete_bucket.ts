import { z } from 'zod';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName, isS3Error } from './bucket';
import { sdk } from '../sdk';

const NAME = 's3_delete_bucket';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Delete the bucket, only when it holds no object (no version, no delete marker)',
    description:
      'Deletes the bucket when it is empty, counting every object version and delete marker, not only current objects. A bucket ' +
      'that still holds anything is left alone and reported as skipped: cloudmend never deletes data, empty the bucket first if ' +
      'that is what you want. A bucket that no longer exists is already compliant. Destructive and opt-in, as in CloudBots: ' +
      'anyone may create a bucket with the same name afterwards.',
    resourceTypes: ['AWS::S3::Bucket'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:ListBucket', 's3:ListBucketVersions', 's3:DeleteBucket'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'check the bucket exists and is empty (every version and delete marker), then delete it',
      },
    ],
    destructive: true,
    undo: {
      'bucket-deletion': {
        reversible: false,
        why: 'a deleted bucket cannot be brought back: its name may be taken by anyone, and its settings, policy and tags are gone with it',
      },
    },
  },
  async run(ctx) {
    const { S3Client, HeadBucketCommand, ListObjectVersionsCommand, DeleteBucketCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (isS3Error(error, 'NotFound', 'NoSuchBucket')) return alreadyCompliant(`bucket ${bucket} does not exist (already deleted)`);
      throw error;
    }
    const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1 }));
    const held = (listing.Versions?.length ?? 0) + (listing.DeleteMarkers?.length ?? 0);
    if (held > 0) {
      return skipped(`bucket ${bucket} is not empty (it holds object versions or delete markers); cloudmend deletes only empty buckets`);
    }
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 's3:DeleteBucket',
        target: bucketArn(ctx.partition, bucket),
        description: 'empty bucket deleted',
        undo: { kind: 'bucket-deletion', before: { bucket }, after: null },
      },
      () => s3.send(new DeleteBucketCommand({ Bucket: bucket })),
    );
    return changes.result(`deleted the empty bucket ${bucket}`);
  },
});
