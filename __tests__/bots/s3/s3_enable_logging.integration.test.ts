import {
  CreateBucketCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_enable_logging';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';
import { LOG_BUCKET, allOn, deliveryGrant, denyInsecure } from './s3_enable_logging.fixtures';

describeMoto('s3_enable_logging against moto', () => {
  it('creates the log bucket once, logs two member buckets into it, then reports already-compliant', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-data' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'member-other' }));

    const session = await botSession(bot, 'member-data');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-data' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'member-data' }))).LoggingEnabled).toEqual({
      TargetBucket: LOG_BUCKET,
      TargetPrefix: 'member-data/',
    });
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: LOG_BUCKET }))).Policy!).Statement).toEqual([
      deliveryGrant,
      denyInsecure,
    ]);
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: LOG_BUCKET }))).PublicAccessBlockConfiguration).toEqual(allOn);
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: LOG_BUCKET }))).TagSet).toEqual([
      { Key: 'cloudmend:created-by', Value: 's3_enable_logging' },
    ]);

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');

    const otherSession = await botSession(bot, 'member-other');
    const other = await bot.run(
      botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: 'member-other' }, client: otherSession.client }),
    );
    expect(other.changes.map((c) => c.action)).toEqual(['s3:PutBucketLogging']);
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'member-other' }))).LoggingEnabled?.TargetBucket).toBe(LOG_BUCKET);
  });

  it('logs to a given target bucket whose policy already allows log delivery', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-data' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'central-logs' }));
    const grant = { ...deliveryGrant, Resource: 'arn:aws:s3:::central-logs/*' };
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'central-logs', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [grant] }) }),
    );

    const session = await botSession(bot, 'member-data');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-data' };
    const params = { target_bucket: 'central-logs', target_prefix: 'data/' };
    expect((await bot.run(botContext(bot, { resource, params, client: session.client }))).status).toBe('remediated');

    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'member-data' }))).LoggingEnabled).toEqual({
      TargetBucket: 'central-logs',
      TargetPrefix: 'data/',
    });
    expect((await bot.run(botContext(bot, { resource, params, client: session.client }))).status).toBe('already-compliant');
  });
});
