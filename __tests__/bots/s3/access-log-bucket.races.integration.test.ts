/**
 * The account's access-log bucket is shared by every bucket s3_enable_logging
 * fixes in a region: findings for two buckets at once create it once, and a
 * lost response to CreateBucket retried by the SDK into "already owned by you"
 * is read back (with its owner check) and used. Against moto, in eu-west-1
 * (us-east-1 answers a repeated create of one's own bucket with success).
 */
import { CreateBucketCommand, GetBucketLoggingCommand, GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_enable_logging';
import { botContext } from '../../support/bot-context';
import { losingFirstResponses, withSdkRetries } from '../../support/lost-response';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';

const REGION = 'eu-west-1';
const LOG_BUCKET = `cloudmend-s3-access-logs-222222222222-${REGION}`;

describeMoto('s3_enable_logging: the shared log bucket under races and lost responses, against moto', () => {
  withSdkRetries();

  async function seed(...buckets: string[]): Promise<S3Client> {
    const s3 = (await memberAdmin(REGION)).client(S3Client);
    for (const bucket of buckets) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    }
    return s3;
  }

  const run = async (bucket: string, wrap = (client: Awaited<ReturnType<typeof botSession>>['client']) => client) =>
    bot.run(
      botContext(bot, {
        resource: { type: 'AWS::S3::Bucket', id: bucket },
        finding: { region: REGION },
        client: wrap((await botSession(bot, bucket, REGION)).client),
      }),
    );

  it('creates the log bucket once when two buckets are fixed at once, and both log into it', async () => {
    const s3 = await seed('data-a', 'data-b');
    const results = await Promise.all([run('data-a'), run('data-b')]);

    expect(results.map((r) => r.status)).toEqual(['remediated', 'remediated']);
    expect(results.filter((r) => r.changes.some((c) => c.action === 's3:CreateBucket'))).toHaveLength(1);
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets.filter((b) => b.Name === LOG_BUCKET)).toHaveLength(1);
    for (const bucket of ['data-a', 'data-b']) {
      expect((await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled?.TargetBucket).toBe(LOG_BUCKET);
    }
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: LOG_BUCKET }))).Policy).toContain('logging.s3.amazonaws.com');
  });

  it('uses the log bucket its own create made when the response was lost and the retry said it already owns it', async () => {
    const s3 = await seed('data-a');
    let dropped: string[] = [];
    const result = await run('data-a', (client) => {
      const lossy = losingFirstResponses(client, ['CreateBucketCommand']);
      dropped = lossy.dropped;
      return lossy.client;
    });

    expect(dropped).toEqual(['CreateBucketCommand']);
    expect(result.status).toBe('remediated');
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'data-a' }))).LoggingEnabled?.TargetBucket).toBe(LOG_BUCKET);
    // Adopted as an existing bucket: its delivery grant and public access block made sure of.
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: LOG_BUCKET }))).Policy).toContain('logging.s3.amazonaws.com');
  });
});
