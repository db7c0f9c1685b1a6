import type { BucketLocationConstraint, S3Client } from '@aws-sdk/client-s3';
import { type ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import type { BotContext } from '../types';
import { bucketArn, bucketInAccount, isS3Error } from './bucket';
import {
  actionMatches,
  asList,
  conditionEntries,
  coversResources,
  readBucketPolicy,
  statementsOf,
  withStatement,
  type PolicyStatement,
} from './bucket-policy';
import { blockAllPublicAccess, readPublicAccessBlock } from './public-access-block';
import { LOG_BUCKET_CHANGE, LOG_BUCKET_KIND } from './s3-undo';
import { deniesInsecureTransport, denyInsecureTransport } from './secure-transport';
import { sdk } from '../sdk';

export const LOGGING_SERVICE = 'logging.s3.amazonaws.com';
export const CREATED_BY_TAG = 'cloudmend:created-by';

/** One per account and region: server access logs must stay in the source bucket's account and region. */
export function accessLogBucketName(account: string, region: string): string {
  return `cloudmend-s3-access-logs-${account}-${region}`;
}

/** Lets S3 deliver access logs of this account's buckets, and nobody else's (confused deputy). */
export function logDeliveryStatement(logBucketArn: string, account: string): PolicyStatement {
  return {
    Sid: 'CloudmendS3ServerAccessLogs',
    Effect: 'Allow',
    Principal: { Service: LOGGING_SERVICE },
    Action: 's3:PutObject',
    Resource: `${logBucketArn}/*`,
    Condition: { StringEquals: { 'aws:SourceAccount': account } },
  };
}

/**
 * True when `statement` lets the logging service write any object of the
 * bucket for every bucket of `account`: unconditionally, or conditioned only
 * on that source account. A grant narrowed further (to some source buckets)
 * does not count, so the bot adds its own instead of guessing.
 */
export function grantsLogDelivery(statement: PolicyStatement, logBucketArn: string, account: string): boolean {
  if (statement.Effect !== 'Allow' || statement.NotAction !== undefined || statement.NotResource !== undefined) return false;
  const services = asList((statement.Principal as { Service?: unknown } | undefined)?.Service);
  if (!services.includes(LOGGING_SERVICE)) return false;
  if (!asList(statement.Action).some((a) => typeof a === 'string' && actionMatches(a, 's3:PutObject'))) return false;
  if (!coversResources(statement, [`${logBucketArn}/*`])) return false;
  return conditionEntries(statement).every(
    (c) => c.operator === 'StringEquals' && c.key === 'aws:sourceaccount' && c.values.length === 1 && c.values[0] === account,
  );
}

/**
 * Whether the bucket exists in this account. ExpectedBucketOwner makes S3
 * answer 403 for a bucket of that name owned by anyone else: bucket names are
 * global, and logs must never go to a bucket someone else created first.
 */
function existsInAccount(s3: S3Client, bucket: string, account: string): Promise<boolean> {
  return bucketInAccount(
    s3,
    bucket,
    account,
    () =>
      new Error(
        `access log bucket ${bucket} exists but is not owned by account ${account} (or access to it is denied); ` +
          'set target_bucket to a bucket of this account in this region',
      ),
  );
}

type LogBucketContext = Pick<BotContext, 'partition' | 'account' | 'region' | 'dryRun'> & { botName: string };

/** A statement the log bucket's policy must hold, and how to recognise it (or an equivalent) there. */
interface RequiredStatement {
  statement: PolicyStatement;
  present: (statement: PolicyStatement) => boolean;
}

/**
 * S3 has no conditional PutBucketPolicy: a write is read-modify-write, and two
 * writers that read the same policy keep only the last one's statements (two
 * runs fixing two buckets at once, one creating the log bucket and one adopting
 * it; or any other tool editing the policy). So after each write the policy is
 * read back, after a pause longer than another writer's read-to-write gap, and
 * what is missing is merged in again, keeping everything else, a bounded
 * number of times; a policy that still drops it is a retryable conflict.
 */
export const POLICY_SETTLING = { writes: 4, pauseMs: () => 150 + Math.floor(Math.random() * 100) };

async function ensurePolicyHolds(
  s3: S3Client,
  bucket: string,
  arn: string,
  ctx: Pick<LogBucketContext, 'dryRun'>,
  changes: ChangeSet,
  required: RequiredStatement[],
  description: string,
  /** A bucket this run just created has no policy to read (and in dry run no bucket): its first write starts from none. */
  justCreated = false,
): Promise<void> {
  const { PutBucketPolicyCommand } = await sdk.s3();
  for (let write = 0; ; write++) {
    const policy = justCreated && write === 0 ? undefined : await readBucketPolicy(s3, bucket);
    const missing = required.filter((r) => !statementsOf(policy).some(r.present));
    if (missing.length === 0) return;
    if (write === POLICY_SETTLING.writes) throw settlingConflict(`the bucket policy of access log bucket ${bucket}`);
    const merged = missing.reduce<typeof policy>((p, r) => withStatement(p, r.statement), policy);
    await changes.apply(
      {
        action: 's3:PutBucketPolicy',
        target: arn,
        undo: LOG_BUCKET_CHANGE,
        description: write === 0 ? description : `${description} (again: a concurrent write of the policy had dropped it)`,
      },
      () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(merged) })),
    );
    if (ctx.dryRun) return;
    await new Promise((resolve) => setTimeout(resolve, POLICY_SETTLING.pauseMs()));
  }
}

/**
 * Makes sure the account's access-log bucket for this region exists and
 * accepts log delivery: created once (tagged, all public access blocked, a
 * policy allowing only this account's log delivery and only TLS requests),
 * reused afterwards. An existing one missing the delivery grant or the block
 * (a run interrupted after creating it) gets them added; nothing else of it is changed.
 */
export async function ensureAccessLogBucket(s3: S3Client, ctx: LogBucketContext, changes: ChangeSet): Promise<string> {
  const { CreateBucketCommand, PutBucketTaggingCommand } = await sdk.s3();
  const bucket = accessLogBucketName(ctx.account, ctx.region);
  const arn = bucketArn(ctx.partition, bucket);
  const delivery: RequiredStatement = {
    statement: logDeliveryStatement(arn, ctx.account),
    present: (statement) => grantsLogDelivery(statement, arn, ctx.account),
  };

  if (!(await existsInAccount(s3, bucket, ctx.account))) {
    const outcome = await createOrAdopt(
      changes,
      {
        action: 's3:CreateBucket',
        target: arn,
        undo: LOG_BUCKET_CHANGE,
        description: `access log bucket ${bucket}: none -> created in ${ctx.region}`,
      },
      () =>
        s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            // us-east-1 is the one region that rejects its own name as a location constraint.
            ...(ctx.region === 'us-east-1'
              ? {}
              : { CreateBucketConfiguration: { LocationConstraint: ctx.region as BucketLocationConstraint } }),
          }),
        ),
      // A concurrent run for another bucket of this account created it first, or our own create was retried after a lost response.
      (error) => isS3Error(error, 'BucketAlreadyOwnedByYou'),
    );
    if (outcome.created) {
      await changes.apply(
        { action: 's3:PutBucketTagging', target: arn, undo: LOG_BUCKET_CHANGE, description: `tagged ${CREATED_BY_TAG}=${ctx.botName}` },
        () => s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: CREATED_BY_TAG, Value: ctx.botName }] } })),
      );
      await blockAllPublicAccess(s3, bucket, arn, changes, {}, LOG_BUCKET_KIND);
      const tls: RequiredStatement = { statement: denyInsecureTransport(arn), present: (st) => deniesInsecureTransport(st, arn) };
      await ensurePolicyHolds(
        s3,
        bucket,
        arn,
        ctx,
        changes,
        [delivery, tls],
        `bucket policy: ${LOGGING_SERVICE} may write logs of account ${ctx.account}; requests without TLS denied`,
        true,
      );
      return bucket;
    }
    // Read back with the owner check, then treated as any existing log bucket: its block and delivery grant made sure of below.
    if (!(await existsInAccount(s3, bucket, ctx.account))) throw settlingConflict(`access log bucket ${bucket}`);
  }

  await blockAllPublicAccess(s3, bucket, arn, changes, await readPublicAccessBlock(s3, bucket), LOG_BUCKET_KIND);
  await ensurePolicyHolds(
    s3,
    bucket,
    arn,
    ctx,
    changes,
    [delivery],
    `bucket policy: added a grant letting ${LOGGING_SERVICE} write logs of account ${ctx.account}, other statements kept`,
  );
  return bucket;
}
