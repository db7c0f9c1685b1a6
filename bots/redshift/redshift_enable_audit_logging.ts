import { LOG_BUCKET_KIND, LOG_BUCKET_UNDO } from '../s3/s3-undo';
import type { RedshiftClient } from '@aws-sdk/client-redshift';
import { z } from 'zod';
import { alreadyCompliant, ChangeSet } from '../changes';
import { BUCKET_NAME } from '../s3/bucket';
import { defineBot } from '../types';
import { auditLogBucketName, ensureAuditLogBucket, REDSHIFT_SERVICE } from './audit-log-bucket';
import { CLUSTER_RESOURCE, clusterArn, clusterIdentifier, identifierOfTarget } from './cluster';
import { sdk } from '../sdk';

const NAME = 'redshift_enable_audit_logging';
/** Every audit log Redshift writes: connections, user changes, and queries (the last needs enable_user_activity_logging). */
const LOG_EXPORTS = ['connectionlog', 'userlog', 'useractivitylog'];

const params = z.strictObject({
  destination: z
    .enum(['cloudwatch', 's3'])
    .default('cloudwatch')
    .describe(
      'Where the audit logs go: `cloudwatch` (default) exports them to CloudWatch Logs groups /aws/redshift/cluster/<cluster>/<log>, ' +
        'which Redshift creates itself, no bucket needed; `s3` delivers them to `bucket`',
    ),
  bucket: z
    .string()
    .trim()
    .regex(BUCKET_NAME, 'must be a bucket name, e.g. my-audit-logs')
    .optional()
    .describe(
      'With destination=s3: an existing bucket in the cluster’s Region whose policy already lets redshift.amazonaws.com write ' +
        `(it must be on trust.allowedDestinations). Default: ${auditLogBucketName('<account>', '<region>')}, created once by the bot`,
    ),
  s3_key_prefix: z
    .string()
    .max(512)
    .regex(/^[^\\"'\s]*$/, 'no spaces, quotes or backslashes')
    .optional()
    .describe('With destination=s3: prefix of the log objects. Default: none (Redshift writes under AWSLogs/<account>/redshift/)'),
});

async function readLogging(redshift: RedshiftClient, identifier: string) {
  const { DescribeLoggingStatusCommand } = await sdk.redshift();
  return redshift.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: identifier }));
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on audit logging of a Redshift cluster, to CloudWatch Logs (default) or to an S3 bucket',
    description:
      'Reads the cluster’s logging status; a cluster already logging anywhere is compliant (the message says where). Otherwise ' +
      'calls EnableLogging. By default the connection, user and user activity logs are exported to CloudWatch Logs ' +
      '(LogDestinationType=cloudwatch): Redshift creates the log groups /aws/redshift/cluster/<cluster>/<log> itself, so no ' +
      'bucket or bucket policy is needed; they never expire until you set a retention. With destination=s3 the logs go to ' +
      `\`bucket\` (not modified by the bot), or to ${auditLogBucketName('<account>', '<region>')}, created once (tagged ` +
      `cloudmend:created-by, all public access blocked, TLS only, a policy letting ${REDSHIFT_SERVICE} deliver only for this ` +
      'account) and reused. The user activity log has content only when the cluster’s parameter group sets ' +
      'enable_user_activity_logging=true, which the bot does not change (that needs a reboot). Undo turns audit logging off again.',
    resourceTypes: ['AWS::Redshift::Cluster'],
    remediates: {
      securityHub: ['Redshift.4'],
      config: ['redshift-cluster-audit-logging-enabled', 'redshift-audit-logging-enabled'],
    },
    params,
    overridable: [],
    sensitiveParams: { bucket: 'destination' },
    permissions: [
      {
        actions: ['redshift:DescribeLoggingStatus', 'redshift:EnableLogging'],
        resources: [CLUSTER_RESOURCE],
        reason: 'read the cluster’s audit logging status and turn audit logging on',
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
        resources: ['arn:{partition}:s3:::cloudmend-redshift-audit-logs-{account}-{region}'],
        reason:
          'with destination=s3 and no bucket: find (HeadBucket needs s3:ListBucket) or create the audit log bucket, tag it, block public access and let Redshift deliver to it',
      },
    ],
    undo: {
      // The per-account audit log bucket, created once and shared by every cluster that logs to it: kept.
      [LOG_BUCKET_KIND]: LOG_BUCKET_UNDO,
      'audit-logging': {
        reversible: true,
        how: 'turns audit logging off again (DisableLogging); logs delivered meanwhile, and a bucket the bot created, are kept',
        permissions: [
          {
            actions: ['redshift:DescribeLoggingStatus', 'redshift:DisableLogging'],
            resources: [CLUSTER_RESOURCE],
            reason: 'undo: read the cluster’s audit logging status and turn audit logging off',
          },
        ],
      },
    },
  },
  undoers: {
    'audit-logging': {
      async read(ctx) {
        const { RedshiftClient } = await sdk.redshift();
        const status = await readLogging(ctx.client(RedshiftClient), identifierOfTarget(ctx.target));
        return { LoggingEnabled: status.LoggingEnabled === true };
      },
      async write(ctx, state) {
        const { RedshiftClient, DisableLoggingCommand } = await sdk.redshift();
        if ((state as { LoggingEnabled?: boolean }).LoggingEnabled !== false) {
          throw new Error(`${NAME} undo: only turning audit logging off is supported; run the bot to turn it on`);
        }
        await ctx.client(RedshiftClient).send(new DisableLoggingCommand({ ClusterIdentifier: identifierOfTarget(ctx.target) }));
      },
    },
  },
  async run(ctx) {
    const { RedshiftClient, EnableLoggingCommand } = await sdk.redshift();
    const redshift = ctx.client(RedshiftClient);
    const identifier = clusterIdentifier(ctx.finding.resource.id, ctx, NAME);
    const { destination, bucket: givenBucket, s3_key_prefix: prefix } = ctx.params;
    if (destination === 'cloudwatch' && (givenBucket !== undefined || prefix !== undefined)) {
      throw new Error(`${NAME}: bucket and s3_key_prefix apply only with destination=s3`);
    }

    const status = await readLogging(redshift, identifier);
    if (status.LoggingEnabled) {
      const where =
        status.LogDestinationType === 'cloudwatch'
          ? `CloudWatch Logs (${(status.LogExports ?? []).join(', ') || 'no log types'})`
          : `s3://${status.BucketName ?? ''}/${status.S3KeyPrefix ?? ''}`;
      return alreadyCompliant(`audit logging of ${identifier} is already on, to ${where}`);
    }

    const changes = new ChangeSet(ctx);
    const target = clusterArn(ctx, identifier);
    const undo = { kind: 'audit-logging', before: { LoggingEnabled: false }, after: { LoggingEnabled: true } };
    if (destination === 'cloudwatch') {
      await changes.apply(
        { action: 'redshift:EnableLogging', target, description: `audit logging off -> CloudWatch Logs (${LOG_EXPORTS.join(', ')})`, undo },
        () =>
          redshift.send(
            new EnableLoggingCommand({ ClusterIdentifier: identifier, LogDestinationType: 'cloudwatch', LogExports: LOG_EXPORTS }),
          ),
      );
      return changes.result(`Redshift cluster ${identifier} now exports its audit logs to CloudWatch Logs`);
    }

    const { S3Client } = await sdk.s3();
    const bucket =
      givenBucket ??
      (await ensureAuditLogBucket(
        ctx.client(S3Client),
        { partition: ctx.partition, account: ctx.account, region: ctx.region, createdBy: NAME },
        changes,
      ));
    await changes.apply(
      { action: 'redshift:EnableLogging', target, description: `audit logging off -> s3://${bucket}/${prefix ?? ''}`, undo },
      () =>
        redshift.send(
          new EnableLoggingCommand({
            ClusterIdentifier: identifier,
            LogDestinationType: 's3',
            BucketName: bucket,
            ...(prefix ? { S3KeyPrefix: prefix } : {}),
          }),
        ),
    );
    return changes.result(`Redshift cluster ${identifier} now delivers its audit logs to s3://${bucket}/${prefix ?? ''}`);
  },
});
