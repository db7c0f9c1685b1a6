import { mockClient } from 'aws-sdk-client-mock';
import { DeleteBucketCommand, HeadBucketCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_delete_bucket';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const bucket = { type: 'AWS::S3::Bucket', id: 'old-bucket' };

describe('s3_delete_bucket', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('is destructive, so it runs only when opted in', () => {
    expect(bot.meta.destructive).toBe(true);
  });

  it('deletes an empty bucket after checking for any version or delete marker', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [], DeleteMarkers: [] });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'old-bucket' });
    expect(s3.commandCalls(ListObjectVersionsCommand)[0]!.args[0].input).toEqual({ Bucket: 'old-bucket', MaxKeys: 1 });
    expect(s3.commandCalls(DeleteBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'old-bucket' });
    expect(result).toEqual({
      status: 'remediated',
      message: 'deleted the empty bucket old-bucket',
      changes: [
        {
          action: 's3:DeleteBucket',
          target: 'arn:aws:s3:::old-bucket',
          description: 'empty bucket deleted',
          applied: true,
          undo: { kind: 'bucket-deletion', before: { bucket: 'old-bucket' }, after: null },
        },
      ],
    });
  });

  it.each([
    ['a current object', { Versions: [{ Key: 'a.txt', VersionId: 'null' }] }],
    ['only a delete marker', { DeleteMarkers: [{ Key: 'a.txt', VersionId: 'v1' }] }],
  ])('skips a bucket holding %s: it never deletes data', async (_what, listing) => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves(listing);
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('skipped');
    expect(result.message).toBe(
      'bucket old-bucket is not empty (it holds object versions or delete markers); cloudmend deletes only empty buckets',
    );
    expect(s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
  });

  it('reports a bucket that is gone as already compliant', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result).toEqual({ status: 'already-compliant', message: 'bucket old-bucket does not exist (already deleted)', changes: [] });
  });

  it('fails on any other error than a missing bucket', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 403));
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toThrow('Forbidden (test)');
  });

  it('in dry run deletes nothing', async () => {
    s3.on(HeadBucketCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(s3.commandCalls(DeleteBucketCommand)).toHaveLength(0);
  });
});
