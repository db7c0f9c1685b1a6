/**
 * The account's access-log bucket is shared by every bucket s3_enable_logging
 * fixes in a region: findings for two buckets at once create it once, and a
 * lost response to CreateBucket retried by the SDK into "already owned by you"
 * is read back (with its owner check) and used. Its policy is read-modify-write
 * (S3 offers no conditional PutBucketPolicy): a writer whose stale write lands
 * just after ours is caught by the read-back and our grant merged in again,
 * keeping theirs. Against moto, in eu-west-1 (us-east-1 answers a repeated
 * create of one's own bucket with success).
 */
import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DENY_INSECURE_TRANSPORT_SID } from '../../../bots/s3/secure-transport';
import bot from '../../../bots/s3/s3_enable_logging';
import type { ClientFactory } from '../../../bots/types';
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

  it("keeps the creator's statements and the delivery grant when runs race on the new log bucket's policy, round after round", async () => {
    const s3 = await seed('data-a', 'data-b', 'data-c');
    for (let round = 0; round < 3; round++) {
      await s3.send(new CreateBucketCommand({ Bucket: `data-${round}-x`, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    }
    // The creating run writes the delivery grant and the TLS deny; the adopting ones read and merge the grant at the same time.
    const results = await Promise.all(['data-a', 'data-b', 'data-c'].map((bucket) => run(bucket)));
    expect(results.map((r) => r.status)).toEqual(['remediated', 'remediated', 'remediated']);
    const statements = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: LOG_BUCKET }))).Policy!).Statement as {
      Sid?: string;
    }[];
    expect(statements.map((st) => st.Sid).sort()).toEqual(['CloudmendDenyInsecureTransport', 'CloudmendS3ServerAccessLogs']);
    // Later rounds adopt the bucket: the policy stays whole.
    for (let round = 0; round < 3; round++) {
      await run(`data-${round}-x`);
      const after = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: LOG_BUCKET }))).Policy!).Statement as { Sid?: string }[];
      expect(after.map((st) => st.Sid).sort()).toEqual(['CloudmendDenyInsecureTransport', 'CloudmendS3ServerAccessLogs']);
    }
  });

  it("merges its grant in again when another writer's stale read-modify-write of the policy lands just after its own", async () => {
    const s3 = await seed('data-a', LOG_BUCKET);
    const logArn = `arn:aws:s3:::${LOG_BUCKET}`;
    const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: LOG_BUCKET, PublicAccessBlockConfiguration: allOn }));
    const tls = {
      Sid: DENY_INSECURE_TRANSPORT_SID,
      Effect: 'Deny',
      // Not the string "*": moto 5.2.1's PutBucketLogging check calls .get() on every statement's Principal before ours and fails with 500.
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [logArn, `${logArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: LOG_BUCKET, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [tls] }) }));
    // Another tool read the policy (TLS deny only) before our write, and writes its own statement onto that stale copy after it.
    const theirs = {
      Sid: 'Audit',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 's3:GetObject',
      Resource: `${logArn}/*`,
    };
    let raced = false;
    const racing = (inner: ClientFactory): ClientFactory =>
      ((ClientClass: new (config: never) => unknown, overrides?: { region?: string }) => {
        const built = inner(ClientClass as never, overrides) as S3Client;
        if (ClientClass !== S3Client) return built;
        return new Proxy(built, {
          get(target, prop, receiver) {
            if (prop !== 'send') return Reflect.get(target, prop, receiver);
            return async (command: { constructor: { name: string } }) => {
              const output = await target.send(command as never);
              if (command.constructor.name === 'PutBucketPolicyCommand' && !raced) {
                raced = true;
                await s3.send(
                  new PutBucketPolicyCommand({
                    Bucket: LOG_BUCKET,
                    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [tls, theirs] }),
                  }),
                );
              }
              return output;
            };
          },
        });
      }) as ClientFactory;

    const result = await run('data-a', racing);

    expect(raced).toBe(true);
    expect(result.status).toBe('remediated');
    const statements = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: LOG_BUCKET }))).Policy!).Statement as {
      Sid?: string;
    }[];
    expect(statements.map((st) => st.Sid)).toEqual([DENY_INSECURE_TRANSPORT_SID, 'Audit', 'CloudmendS3ServerAccessLogs']);
    expect(result.changes.filter((c) => c.action === 's3:PutBucketPolicy').map((c) => c.description)).toEqual([
      'bucket policy: added a grant letting logging.s3.amazonaws.com write logs of account 222222222222, other statements kept',
      'bucket policy: added a grant letting logging.s3.amazonaws.com write logs of account 222222222222, other statements kept ' +
        '(again: a concurrent write of the policy had dropped it)',
    ]);
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
