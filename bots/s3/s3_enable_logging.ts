import { z } from 'zod';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot } from '../types';
import { accessLogBucketName, ensureAccessLogBucket, LOGGING_SERVICE } from './access-log-bucket';
import { BUCKET_NAME, bucketArn, bucketName } from './bucket';
import { bucketOfTarget } from './public-access-block';
import { LOG_BUCKET_KIND, LOG_BUCKET_UNDO } from './s3-undo';
import { sdk } from '../sdk';

const LOGGING_KIND = 'server-access-logging';
const NAME = 's3_enable_logging';

const params = z.strictObject({
  target_bucket: z
    .string()
    .trim()
    .regex(BUCKET_NAME, 'must be a bucket name, e.g. my-access-logs')
    .optional()
    .describe(
      'Bucket receiving the logs, in the same account and region; its policy must already let logging.s3.amazonaws.com write. ' +
        'Default: cloudmend-s3-access-logs-<account>-<region>, created once by the bot',
    ),
  target_prefix: z.string().max(900).optional().describe('Key prefix of the log objects in the target bucket. Default: <bucket>/'),
});

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on server access logging for the bucket, to a target bucket in the same account and region',
    description:
      'Reads the bucket logging configuration; a bucket already logging to any target is compliant (the message says where). ' +
      'Otherwise turns on server access logging to target_bucket with target_prefix (default <bucket>/). Without ' +
      'target_bucket the logs go to cloudmend-s3-access-logs-<account>-<region>: the bot creates it once (only when no ' +
      'bucket of that name exists in the account; one owned elsewhere is an error), tags it cloudmend:created-by, blocks ' +
      `all public access and gives it a policy letting ${LOGGING_SERVICE} write only logs of this account and denying ` +
      'requests without TLS; later runs reuse it, re-adding the delivery grant or public access block if missing. It has no ' +
      'lifecycle rule: logs are kept until you add one. A given target_bucket is not modified. A bucket is never logged ' +
      'into itself: that would log its own log writes without end (the log bucket itself is skipped).',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.9', 'CloudTrail.7', 'CIS.2.6'], config: ['s3-bucket-logging-enabled'] },
    params,
    positional: ['target_bucket', 'target_prefix'],
    overridable: [],
    sensitiveParams: { target_bucket: 'own-destination' },
    permissions: [
      {
        actions: ['s3:GetBucketLogging', 's3:PutBucketLogging'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read and turn on server access logging of the bucket',
      },
      {
        actions: [
          's3:CreateBucket',
          's3:GetBucketPolicy',
          's3:GetBucketPublicAccessBlock',
          's3:ListBucket',
          's3:PutBucketPolicy',
          's3:PutBucketPublicAccessBlock',
          's3:PutBucketTagging',
        ],
        resources: ['arn:{partition}:s3:::cloudmend-s3-access-logs-{account}-{region}'],
        reason:
          'find (HeadBucket needs s3:ListBucket) or create the default access log bucket, tag it, block public access and let log delivery write to it',
      },
    ],
    undo: {
      [LOGGING_KIND]: {
        reversible: true,
        how: 'turns server access logging of the bucket off again; the logs delivered meanwhile stay in the log bucket',
        permissions: [
          {
            actions: ['s3:GetBucketLogging', 's3:PutBucketLogging'],
            resources: ['arn:{partition}:s3:::{resourceId}'],
            reason: 'undo: read the logging status of the bucket and turn logging off',
          },
        ],
      },
      [LOG_BUCKET_KIND]: LOG_BUCKET_UNDO,
    },
  },
  undoers: {
    [LOGGING_KIND]: {
      async read(ctx) {
        const { S3Client, GetBucketLoggingCommand } = await sdk.s3();
        const { LoggingEnabled } = await ctx.client(S3Client).send(new GetBucketLoggingCommand({ Bucket: bucketOfTarget(ctx.target) }));
        return LoggingEnabled?.TargetBucket
          ? { TargetBucket: LoggingEnabled.TargetBucket, TargetPrefix: LoggingEnabled.TargetPrefix ?? '' }
          : null;
      },
      async write(ctx) {
        // The one state it restores: logging off (the bot only ever turns it on from off).
        const { S3Client, PutBucketLoggingCommand } = await sdk.s3();
        await ctx.client(S3Client).send(new PutBucketLoggingCommand({ Bucket: bucketOfTarget(ctx.target), BucketLoggingStatus: {} }));
      },
    },
  },
  async run(ctx) {
    const { S3Client, GetBucketLoggingCommand, PutBucketLoggingCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    const { target_bucket: targetBucket, target_prefix: prefix = `${bucket}/` } = ctx.params;

    if (targetBucket === bucket) {
      throw new Error(
        `${NAME}: target_bucket ${bucket} is the bucket itself; logging a bucket into itself logs its own log writes without end`,
      );
    }
    const current = (await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled;
    if (current?.TargetBucket) {
      const itself = current.TargetBucket === bucket ? ' (into itself: consider another target)' : '';
      return alreadyCompliant(`${bucket} already logs to s3://${current.TargetBucket}/${current.TargetPrefix ?? ''}${itself}`);
    }
    const defaultBucket = accessLogBucketName(ctx.account, ctx.region);
    if (!targetBucket && bucket === defaultBucket) {
      return skipped(
        `${bucket} is cloudmend's access log bucket; logging it into itself would log its own log writes without end. Give target_bucket to log it elsewhere`,
      );
    }

    const changes = new ChangeSet(ctx);
    const target = targetBucket ?? (await ensureAccessLogBucket(s3, { ...ctx, botName: NAME }, changes));
    await changes.apply(
      {
        action: 's3:PutBucketLogging',
        target: bucketArn(ctx.partition, bucket),
        description: `server access logging off -> on, to s3://${target}/${prefix}`,
        undo: { kind: LOGGING_KIND, before: null, after: { TargetBucket: target, TargetPrefix: prefix } },
      },
      () =>
        s3.send(
          new PutBucketLoggingCommand({
            Bucket: bucket,
            BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: prefix } },
          }),
        ),
    );
    return changes.result(`${bucket} now logs to s3://${target}/${prefix}`);
  },
});
