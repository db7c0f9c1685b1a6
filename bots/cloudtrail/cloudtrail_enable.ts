import { z } from 'zod';
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { alreadyCompliant, ChangeSet } from '../changes';
import { BUCKET_NAME } from '../s3/bucket';
import { defineBot } from '../types';
import { parseTrailArn } from './trail';
import { ensureTrailBucket, trailBucketName } from './trail-bucket';

const NAME = 'cloudtrail_enable';
export const TRAIL_NAME = 'cloudmend-trail';
const CREATED_BY = 'cloudmend:created-by';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Make sure a multi-Region trail with log file validation logs the account, creating one (and its bucket) if none does',
    description:
      'Compliant when an organization trail covers the account, or a multi-Region trail of the account is logging. A stopped one ' +
      `of the account is started. Otherwise creates the trail ${TRAIL_NAME} in the finding’s Region: multi-Region, global ` +
      'service events included, log file validation on, delivering to `bucket` when given (its policy must already let ' +
      `CloudTrail write: the bot does not touch a bucket it did not create), else to ${trailBucketName('<account>', '<region>')}, ` +
      'created once with all public access blocked, TLS-only, and a policy letting CloudTrail deliver only this trail’s logs. ' +
      'A trail’s first copy of management events is free; the bucket’s storage is not.',
    resourceTypes: ['AWS::::Account'],
    remediates: {
      securityHub: ['CloudTrail.1', 'CloudTrail.3', 'CIS.2.1', 'PCI.CloudTrail.2'],
      config: ['multi-region-cloudtrail-enabled', 'cloudtrail-enabled'],
    },
    params: z.strictObject({
      bucket: z
        .string()
        .regex(BUCKET_NAME, 'an S3 bucket name')
        .optional()
        .describe('deliver to this existing bucket (its policy must allow CloudTrail); default: a bucket the bot creates'),
    }),
    permissions: [
      {
        actions: ['cloudtrail:DescribeTrails'],
        resources: ['*'],
        reason: 'list the trails that log the account (no resource-level permissions)',
      },
      {
        actions: ['cloudtrail:GetTrailStatus', 'cloudtrail:StartLogging'],
        resources: ['arn:{partition}:cloudtrail:*:{account}:trail/*'],
        reason: "tell whether the account's multi-Region trails are logging, and start a stopped one",
      },
      {
        actions: ['cloudtrail:CreateTrail', 'cloudtrail:AddTags'],
        resources: [`arn:{partition}:cloudtrail:{region}:{account}:trail/${TRAIL_NAME}`],
        reason: `create the trail ${TRAIL_NAME}, tagged cloudmend:created-by`,
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
        resources: ['arn:{partition}:s3:::cloudmend-cloudtrail-{account}-{region}'],
        reason:
          'find (HeadBucket needs s3:ListBucket) or create the trail bucket, tag it, block public access and let CloudTrail deliver to it',
      },
    ],
  },
  async run(ctx) {
    const { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand, CreateTrailCommand } = await import(
      '@aws-sdk/client-cloudtrail'
    );
    const { S3Client } = await import('@aws-sdk/client-s3');
    const here = ctx.client(CloudTrailClient);
    const clientIn = (region: string | undefined) => (!region || region === ctx.region ? here : ctx.client(CloudTrailClient, { region }));
    const changes = new ChangeSet(ctx);

    const { trailList = [] } = await here.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const multiRegion = trailList.filter((t): t is Trail & { TrailARN: string } => t.IsMultiRegionTrail === true && !!t.TrailARN);
    // An organization trail is the management account's: its status is theirs to read and keep, and it covers this account.
    const organization = multiRegion.find((t) => t.IsOrganizationTrail && parseTrailArn(t.TrailARN)?.account !== ctx.account);
    if (organization) {
      return alreadyCompliant(`organization trail ${organization.Name ?? organization.TrailARN} logs the account in every Region`);
    }
    const stopped: Array<Trail & { TrailARN: string }> = [];
    for (const trail of multiRegion.filter((t) => parseTrailArn(t.TrailARN)?.account === ctx.account)) {
      const status = await clientIn(trail.HomeRegion).send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
      if (status.IsLogging) {
        return alreadyCompliant(`multi-Region trail ${trail.Name ?? trail.TrailARN} logs the account in every Region`);
      }
      stopped.push(trail);
    }

    const own = stopped[0];
    if (own) {
      // By name, in the trail's home Region, where the name is enough (moto 5.2.1 takes nothing else).
      await changes.apply(
        { action: 'cloudtrail:StartLogging', target: own.TrailARN, description: 'stopped multi-Region trail started' },
        () => clientIn(own.HomeRegion).send(new StartLoggingCommand({ Name: own.Name ?? own.TrailARN })),
      );
      return changes.result(`started logging on the multi-Region trail ${own.Name ?? own.TrailARN}`);
    }

    const trailArn = `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.account}:trail/${TRAIL_NAME}`;
    const bucket =
      ctx.params.bucket ??
      (await ensureTrailBucket(
        ctx.client(S3Client),
        { partition: ctx.partition, account: ctx.account, region: ctx.region, createdBy: NAME, trailArn },
        changes,
      ));
    await changes.apply(
      {
        action: 'cloudtrail:CreateTrail',
        target: trailArn,
        description: `multi-Region trail ${TRAIL_NAME} with log file validation created, delivering to s3://${bucket}`,
      },
      () =>
        here.send(
          new CreateTrailCommand({
            Name: TRAIL_NAME,
            S3BucketName: bucket,
            IsMultiRegionTrail: true,
            IncludeGlobalServiceEvents: true,
            EnableLogFileValidation: true,
            TagsList: [{ Key: CREATED_BY, Value: NAME }],
          }),
        ),
    );
    await changes.apply({ action: 'cloudtrail:StartLogging', target: trailArn, description: `trail ${TRAIL_NAME} started` }, () =>
      here.send(new StartLoggingCommand({ Name: TRAIL_NAME })),
    );
    return changes.result(`created and started the multi-Region trail ${TRAIL_NAME}, delivering to s3://${bucket}`);
  },
});
