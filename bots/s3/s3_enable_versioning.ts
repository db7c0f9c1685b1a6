import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';

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
  },
  async run(ctx) {
    const { S3Client, GetBucketVersioningCommand, PutBucketVersioningCommand } = await import('@aws-sdk/client-s3');
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
        },
        () => s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })),
      );
    }
    return changes.result(`enabled versioning on ${bucket}`, `versioning already enabled on ${bucket}`);
  },
});
