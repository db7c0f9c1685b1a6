import { mockClient } from 'aws-sdk-client-mock';
import { GetBucketVersioningCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_enable_versioning';
import { botContext } from '../../support/bot-context';

const bucket = { type: 'AWS::S3::Bucket', id: 'data-bucket' };

describe('s3_enable_versioning', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('enables versioning on a bucket that never had it', async () => {
    s3.on(GetBucketVersioningCommand).resolves({});
    s3.on(PutBucketVersioningCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketVersioningCommand)[0]!.args[0].input).toEqual({ Bucket: 'data-bucket' });
    expect(s3.commandCalls(PutBucketVersioningCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 's3:PutBucketVersioning', target: 'arn:aws:s3:::data-bucket', applied: true }),
    ]);
  });

  it('re-enables suspended versioning', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('remediated');
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(1);
  });

  it('reports already-compliant and writes nothing when versioning is on', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('already-compliant');
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    s3.on(GetBucketVersioningCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]).toMatchObject({ action: 's3:PutBucketVersioning', applied: false });
    expect(s3.commandCalls(PutBucketVersioningCommand)).toHaveLength(0);
  });
});
