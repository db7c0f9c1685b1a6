import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketArn, bucketName } from './bucket';
import {
  blockAllPublicAccess,
  PUBLIC_ACCESS_BLOCK_KIND,
  PUBLIC_ACCESS_BLOCK_UNDO,
  publicAccessBlockUndoer,
  readPublicAccessBlock,
} from './public-access-block';
import { sdk } from '../sdk';

export default defineBot({
  meta: {
    name: 's3_block_all_public_access',
    summary: 'Turn on all four bucket-level public access block settings',
    description:
      'Reads the bucket public access block and, when any of BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and ' +
      'RestrictPublicBuckets is off (or none is set), turns all four on. The ACL, the bucket policy and the ' +
      'account-level public access block are left as they are; access that relied on a public ACL or policy stops.',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: {
      // CloudTrail.6 / CIS 2.3 (the trail's log bucket is not public) name the bucket as their resource: AWS's
      // remediation solution blocks public access on it, as this bot does. Not the Config rule
      // cloudtrail-s3-bucket-public-access-prohibited: its finding names the trail, not the bucket.
      securityHub: ['S3.2', 'S3.3', 'S3.8', 'PCI.S3.1', 'PCI.S3.2', 'CloudTrail.6', 'CIS.2.3'],
      guardduty: ['Policy:S3/BucketBlockPublicAccessDisabled'],
      config: ['s3-bucket-level-public-access-prohibited', 's3-bucket-public-read-prohibited', 's3-bucket-public-write-prohibited'],
    },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read and set the public access block of the bucket',
      },
    ],
    undo: { [PUBLIC_ACCESS_BLOCK_KIND]: PUBLIC_ACCESS_BLOCK_UNDO },
  },
  undoers: { [PUBLIC_ACCESS_BLOCK_KIND]: publicAccessBlockUndoer },
  async run(ctx) {
    const { S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, 's3_block_all_public_access');
    const changes = new ChangeSet(ctx);
    const current = await readPublicAccessBlock(s3, bucket);
    const turnedOn = await blockAllPublicAccess(s3, bucket, bucketArn(ctx.partition, bucket), changes, current);
    return changes.result(
      `blocked all public access on ${bucket} (turned on ${turnedOn.join(', ')})`,
      `all four public access block settings already on for ${bucket}`,
    );
  },
});
