import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_delete_bucket';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';

describeMoto('s3_delete_bucket against moto', () => {
  it('deletes an empty bucket, then reports it already gone', async () => {
    const s3 = (await memberAdmin()).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'stale-bucket' }));
    const session = await botSession(bot, 'stale-bucket');
    const resource = { type: 'AWS::S3::Bucket', id: 'stale-bucket' };

    const dry = await bot.run(botContext(bot, { resource, client: session.client, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    await s3.send(new HeadBucketCommand({ Bucket: 'stale-bucket' }));

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'stale-bucket' }))).rejects.toMatchObject({ name: 'NotFound' });

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('leaves a bucket holding an object alone', async () => {
    const s3 = (await memberAdmin()).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'data-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'data-bucket', Key: 'ledger.csv', Body: 'a,b' }));
    const session = await botSession(bot, 'data-bucket');

    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: 'data-bucket' }, client: session.client }));

    expect(result.status).toBe('skipped');
    await s3.send(new HeadBucketCommand({ Bucket: 'data-bucket' }));
  });
});
