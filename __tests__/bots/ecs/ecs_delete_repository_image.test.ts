import { mockClient } from 'aws-sdk-client-mock';
import { BatchDeleteImageCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import bot from '../../../bots/ecs/ecs_delete_repository_image';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const repo = { type: 'AWS::ECR::Repository', id: 'team/app' };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const REPO_ARN = 'arn:aws:ecr:us-east-1:222222222222:repository/team/app';
const detail = { imageDigest: DIGEST, imageTags: ['latest', 'v1.2'], imagePushedAt: new Date('2026-11-01T10:00:00Z') };

describe('ecs_delete_repository_image', () => {
  const ecr = mockClient(ECRClient);
  beforeEach(() => ecr.reset());
  afterAll(() => ecr.restore());

  it('resolves a tag to its image and deletes the image by digest, with every tag', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [detail] });
    ecr.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageDigest: DIGEST }], failures: [] });

    const result = await bot.run(botContext(bot, { resource: repo, params: { image_tag: 'latest' } }));

    expect(ecr.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toEqual({
      repositoryName: 'team/app',
      imageIds: [{ imageTag: 'latest' }],
    });
    expect(ecr.commandCalls(BatchDeleteImageCommand)[0]!.args[0].input).toEqual({
      repositoryName: 'team/app',
      imageIds: [{ imageDigest: DIGEST }],
    });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`deleted image ${DIGEST} (latest, v1.2) from ECR repository team/app`);
    expect(result.changes).toEqual([
      expect.objectContaining({
        action: 'ecr:BatchDeleteImage',
        target: REPO_ARN,
        applied: true,
        description: `deleted image ${DIGEST} (latest, v1.2; pushed 2026-11-01T10:00:00.000Z) from team/app`,
      }),
    ]);
    expect(bot.meta.destructive).toBe(true);
    expect(bot.meta.undo?.['image-deleted']?.reversible).toBe(false);
  });

  it('takes a digest param over a tag, and the finding’s own image digest when no param names one', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [detail] });
    ecr.on(BatchDeleteImageCommand).resolves({});
    await bot.run(botContext(bot, { resource: repo, params: { image_tag: 'x', image_digest: DIGEST } }));
    const finding = { ...repo, raw: { Details: { AwsEcrContainerImage: { RepositoryName: 'team/app', ImageDigest: DIGEST } } } };
    await bot.run(botContext(bot, { resource: finding }));
    expect(ecr.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input.imageIds)).toEqual([
      [{ imageDigest: DIGEST }],
      [{ imageDigest: DIGEST }],
    ]);
  });

  it('accepts the tag as a positional CloudBots argument and refuses malformed tags and digests', () => {
    expect(bot.meta.positional).toEqual(['image_tag']);
    expect(bot.meta.params.safeParse({ image_tag: 'bad tag' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ image_digest: 'sha256:xyz' }).success).toBe(false);
  });

  it('skips when nothing names an image, and reports already-compliant for an image that is not there', async () => {
    const none = await bot.run(botContext(bot, { resource: repo }));
    expect(none.status).toBe('skipped');
    expect(ecr.calls()).toHaveLength(0);

    ecr.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 'The image requested does not exist', 400));
    const gone = await bot.run(botContext(bot, { resource: repo, params: { image_tag: 'old' } }));
    expect(gone.status).toBe('already-compliant');
    expect(ecr.commandCalls(BatchDeleteImageCommand)).toHaveLength(0);
  });

  it('in dry run finds the image, reports the deletion and makes none', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [detail] });
    const result = await bot.run(botContext(bot, { resource: repo, params: { image_tag: 'latest' }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]).toMatchObject({ action: 'ecr:BatchDeleteImage', applied: false });
    expect(ecr.commandCalls(BatchDeleteImageCommand)).toHaveLength(0);
  });

  it('fails on a deletion ECR refuses, but not on one deleted meanwhile; fails on a missing repository', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [detail] });
    ecr
      .on(BatchDeleteImageCommand)
      .resolvesOnce({ failures: [{ imageId: { imageDigest: DIGEST }, failureCode: 'ImageNotFound', failureReason: 'gone' }] });
    expect((await bot.run(botContext(bot, { resource: repo, params: { image_digest: DIGEST } }))).status).toBe('remediated');
    ecr
      .on(BatchDeleteImageCommand)
      .resolves({ failures: [{ imageId: { imageDigest: DIGEST }, failureCode: 'KmsError', failureReason: 'key disabled' }] });
    await expect(bot.run(botContext(bot, { resource: repo, params: { image_digest: DIGEST } }))).rejects.toThrow(/KmsError: key disabled/);

    ecr.on(DescribeImagesCommand).rejects(awsError('RepositoryNotFoundException', 'no repository', 400));
    await expect(bot.run(botContext(bot, { resource: repo, params: { image_tag: 'latest' } }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
  });
});
