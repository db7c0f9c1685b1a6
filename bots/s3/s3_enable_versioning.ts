import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { bucketOfTarget } from './public-access-block';
import { sdk } from '../sdk';

export default defineBot({
  meta: {
    name: 's3_enable_versioning',
    summary: 'Turn on versioning for the bucket',
    description: 'Sets the bucket versioning status to Enabled. MFA delete is left as it is.',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.14'], config: ['s3-bucket-versioning-enabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read and set the versioning status of the bucket',
      },
    ],
    undo: {
      versioning: {
        reversible: true,
        how: 'suspends versioning again (S3 cannot return a bucket to never-versioned: one that never was is left Suspended); versions kept meanwhile stay',
        permissions: [
          {
            actions: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'],
            resources: ['arn:{partition}:s3:::{resourceId}'],
            reason: 'undo: read and suspend the versioning of the bucket',
          },
        ],
      },
    },
  },
  undoers: {
    versioning: {
      async read(ctx) {
        const { S3Client, GetBucketVersioningCommand } = await sdk.s3();
        const { Status } = await ctx.client(S3Client).send(new GetBucketVersioningCommand({ Bucket: bucketOfTarget(ctx.target) }));
        return { Status: Status ?? 'Suspended' };
      },
      async write(ctx) {
        const { S3Client, PutBucketVersioningCommand } = await sdk.s3();
        await ctx
          .client(S3Client)
          .send(new PutBucketVersioningCommand({ Bucket: bucketOfTarget(ctx.target), VersioningConfiguration: { Status: 'Suspended' } }));
      },
    },
  },
  async run(ctx) {
    const { S3Client, GetBucketVersioningCommand, PutBucketVersioningCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = ctx.finding.resource.id;
    const current = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    const changes = new ChangeSet(ctx);
    if (current.Status !== 'Enabled') {
      await changes.apply(
        {
          action: 's3:PutBucketVersioning',
          target: `arn:${ctx.partition}:s3:::${bucket}`,
          description: `versioning ${current.Status ?? 'never enabled'} -> Enabled`,
          // Undo can only suspend: a never-versioned bucket comes back Suspended, which keeps no new versions either.
          undo: { kind: 'versioning', before: { Status: 'Suspended' }, after: { Status: 'Enabled' } },
        },
        () => s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })),
      );
    }
    return changes.result(`enabled versioning on ${bucket}`, `versioning already enabled on ${bucket}`);
  },
});
