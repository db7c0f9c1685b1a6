import { mockClient } from 'aws-sdk-client-mock';
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_block_all_public_access';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const bucket = { type: 'AWS::S3::Bucket', id: 'data-bucket' };
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

describe('s3_block_all_public_access', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('turns on all four settings on a bucket that has no public access block', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration'));
    s3.on(PutPublicAccessBlockCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetPublicAccessBlockCommand)[0]!.args[0].input).toEqual({ Bucket: 'data-bucket' });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      PublicAccessBlockConfiguration: allOn,
    });
    expect(result).toEqual({
      status: 'remediated',
      message:
        'blocked all public access on data-bucket (turned on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets)',
      changes: [
        {
          action: 's3:PutBucketPublicAccessBlock',
          target: 'arn:aws:s3:::data-bucket',
          description:
            'public access block: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off -> all four settings on',
          applied: true,
          // A bucket without a block is restored by removing the block.
          undo: { kind: 'public-access-block', before: {}, after: allOn },
        },
      ],
    });
  });

  it('turns on the remaining settings when only some are on, naming the ones that were off', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true },
    });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input.PublicAccessBlockConfiguration).toEqual(allOn);
    expect(result.message).toBe('blocked all public access on data-bucket (turned on IgnorePublicAcls, RestrictPublicBuckets)');
  });

  it('reports already-compliant and writes nothing when all four are on', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'all four public access block settings already on for data-bucket',
      changes: [],
    });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration'));
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 's3:PutBucketPublicAccessBlock', applied: false })]);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('accepts the bucket ARN that Security Hub findings carry', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    await bot.run(botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::data-bucket' } }));
    expect(s3.commandCalls(GetPublicAccessBlockCommand)[0]!.args[0].input).toEqual({ Bucket: 'data-bucket' });
  });

  it('rejects a resource id that is not a bucket, before any call', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::data-bucket/some/key' } })),
    ).rejects.toThrow('s3_block_all_public_access: "arn:aws:s3:::data-bucket/some/key" is not an S3 bucket name or bucket ARN');
    expect(s3.calls()).toHaveLength(0);
  });

  it('lets other S3 errors through for the handler to classify', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('AccessDenied', 403));
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ extra: 'x' }).success).toBe(false);
  });
});
