/**
 * The bot template (bots/_template/bot.ts) works as written, so a copy starts
 * from a bot that passes. Copy this file next to the copied bot's tests too.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { GetBucketOwnershipControlsCommand, PutBucketOwnershipControlsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { BOTS } from '../../../bots';
import bot from '../../../bots/_template/bot';
import { botContext } from '../../support/bot-context';

const bucket = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::data-bucket' };

describe('bot template', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('is not registered: it never runs and is in no policy', () => {
    expect(BOTS).not.toContain(bot);
    expect(BOTS.map((b) => b.meta.name)).not.toContain(bot.meta.name);
  });

  it('turns ACLs off on a bucket that never set object ownership', async () => {
    s3.on(GetBucketOwnershipControlsCommand).rejects(
      new S3ServiceException({
        name: 'OwnershipControlsNotFoundError',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: 'The bucket ownership controls were not found',
      }),
    );
    s3.on(PutBucketOwnershipControlsCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(PutBucketOwnershipControlsCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'data-bucket', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: 'turned off ACLs on data-bucket',
      changes: [
        {
          action: 's3:PutBucketOwnershipControls',
          target: 'arn:aws:s3:::data-bucket',
          description: 'object ownership not set (ACLs on) -> BucketOwnerEnforced (ACLs off)',
          applied: true,
          undo: { kind: 'object-ownership', before: { ObjectOwnership: null }, after: { ObjectOwnership: 'BucketOwnerEnforced' } },
        },
      ],
    });
  });

  it('reports already-compliant and writes nothing when ACLs are already off', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('already-compliant');
    expect(s3.commandCalls(PutBucketOwnershipControlsCommand)).toHaveLength(0);
  });

  it('in dry run reports the change and makes none', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } });
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ applied: false })]);
    expect(s3.commandCalls(PutBucketOwnershipControlsCommand)).toHaveLength(0);
  });

  it('lets any other read failure propagate, for the runner to classify', async () => {
    s3.on(GetBucketOwnershipControlsCommand).rejects(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }),
    );
    await expect(bot.run(botContext(bot, { resource: bucket }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
