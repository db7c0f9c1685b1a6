import { z } from 'zod';
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { alreadyCompliant, ChangeSet } from '../changes';
import { BUCKET_NAME } from '../s3/bucket';
import { LOG_BUCKET_KIND, LOG_BUCKET_UNDO } from '../s3/s3-undo';
import { defineBot, type UndoContext } from '../types';
import { parseTrailArn } from './trail';
import { ensureTrailBucket, trailBucketName } from './trail-bucket';
import { sdk } from '../sdk';

const NAME = 'cloudtrail_enable';
export const TRAIL_NAME = 'cloudmend-trail';
const CREATED_BY = 'cloudmend:created-by';
/** Logging started on a stopped trail of the account: undo stops it again. */
const LOGGING_KIND = 'trail-logging';
/** The trail the bot created, and its start: kept. */
const CREATED_TRAIL_KIND = 'created-trail';
const CREATED_TRAIL_CHANGE = { kind: CREATED_TRAIL_KIND, before: null, after: null } as const;

interface LoggingState {
  IsLogging: boolean;
}

/** The trail of the change (its ARN), read and written by name in its home Region, as the bot did. */
async function trailOfChange(ctx: UndoContext) {
  const { CloudTrailClient } = await sdk.cloudTrail();
  const trail = parseTrailArn(ctx.target);
  if (!trail) throw new Error(`undo of ${ctx.target}: not a trail ARN`);
  const client = trail.region === ctx.region ? ctx.client(CloudTrailClient) : ctx.client(CloudTrailClient, { region: trail.region });
  return { name: trail.name, client };
}

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
      'A trail’s first copy of management events is free; the bucket’s storage is not. Undo stops a trail the bot started ' +
      'again; a trail it created, and its bucket, are kept (removing them would end the audit log they hold).',
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
    undo: {
      [LOGGING_KIND]: {
        reversible: true,
        how:
          'stops logging on the trail the bot started, as it was before (the account is then not logged by a multi-Region trail ' +
          'again); the trail, its settings and the logs delivered stay',
        recordsIds: ['trailRegion', 'trailName'],
        permissions: [
          {
            actions: ['cloudtrail:GetTrailStatus', 'cloudtrail:StopLogging'],
            // The trail and its home Region are known only from the change record, which names them.
            resources: ['arn:{partition}:cloudtrail:{trailRegion}:{account}:trail/{trailName}'],
            reason: 'undo: read whether the trail logs and stop it, that trail only, in its home Region',
          },
        ],
      },
      [CREATED_TRAIL_KIND]: {
        reversible: false,
        why:
          `the trail ${TRAIL_NAME} the bot created (and started) is the account’s audit log: deleting or stopping it would leave ` +
          'API activity unrecorded, which undo must not do silently; stop or delete it by hand if it is truly unwanted (the ' +
          'log files delivered stay in the bucket)',
      },
      [LOG_BUCKET_KIND]: LOG_BUCKET_UNDO,
    },
  },
  undoers: {
    [LOGGING_KIND]: {
      async read(ctx): Promise<LoggingState> {
        const { GetTrailStatusCommand } = await sdk.cloudTrail();
        const { name, client } = await trailOfChange(ctx);
        return { IsLogging: (await client.send(new GetTrailStatusCommand({ Name: name }))).IsLogging === true };
      },
      async write(ctx, state) {
        const { StopLoggingCommand } = await sdk.cloudTrail();
        // The bot only starts a stopped trail: the state before is always stopped.
        if ((state as LoggingState).IsLogging) throw new Error(`undo of ${ctx.target}: only stopping the trail again is supported`);
        const { name, client } = await trailOfChange(ctx);
        await client.send(new StopLoggingCommand({ Name: name }));
      },
    },
  },
  async run(ctx) {
    const { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand, CreateTrailCommand } =
      await sdk.cloudTrail();
    const { S3Client } = await sdk.s3();
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

    const homeOf = (trail: Trail & { TrailARN: string }) => trail.HomeRegion ?? parseTrailArn(trail.TrailARN)?.region ?? ctx.region;
    const own = stopped[0];
    if (own) {
      // By name, in the trail's home Region, where the name is enough (moto 5.2.1 takes nothing else).
      await changes.apply(
        {
          action: 'cloudtrail:StartLogging',
          target: own.TrailARN,
          description: 'stopped multi-Region trail started',
          undo: {
            kind: LOGGING_KIND,
            before: { IsLogging: false },
            after: { IsLogging: true },
            ids: { trailRegion: [homeOf(own)], trailName: [parseTrailArn(own.TrailARN)?.name ?? own.Name ?? ''] },
          },
        },
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
        undo: CREATED_TRAIL_CHANGE,
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
    await changes.apply(
      { action: 'cloudtrail:StartLogging', target: trailArn, description: `trail ${TRAIL_NAME} started`, undo: CREATED_TRAIL_CHANGE },
      () => here.send(new StartLoggingCommand({ Name: TRAIL_NAME })),
    );
    return changes.result(`created and started the multi-Region trail ${TRAIL_NAME}, delivering to s3://${bucket}`);
  },
});
