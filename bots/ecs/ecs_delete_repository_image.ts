import { z } from 'zod';
import type { ImageDetail, ImageIdentifier } from '@aws-sdk/client-ecr';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot, type BotContext } from '../types';
import { sdk } from '../sdk';

const NAME = 'ecs_delete_repository_image';
const REPOSITORY_ARN = 'arn:{partition}:ecr:{region}:{account}:repository/{resourceId}';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

const isNotFound = (error: unknown) => (error as { name?: string } | null)?.name === 'ImageNotFoundException';

/** The image digest the finding itself names (Security Hub's AwsEcrContainerImage details, Inspector's ECR image), if any. */
function findingDigest(ctx: Pick<BotContext, 'finding'>): string | undefined {
  const raw = ctx.finding.resource.raw as Record<string, unknown> | undefined;
  const details = (raw?.Details as Record<string, unknown> | undefined)?.AwsEcrContainerImage as Record<string, unknown> | undefined;
  const digest = details?.ImageDigest ?? raw?.ImageDigest ?? raw?.imageDigest;
  return typeof digest === 'string' && DIGEST.test(digest) ? digest : undefined;
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Delete an image (every tag of it) from the ECR repository',
    description:
      'Deletes one image from the repository: the one `image_digest` names, else the one `image_tag` points at, else the ' +
      'image the finding itself names by digest (Security Hub’s AwsEcrContainerImage details). The image is deleted by its ' +
      'digest, so every tag pointing at it goes with it (the tags are reported); deleting only a tag would leave the image ' +
      'pullable by digest. Nothing else in the repository changes, nor the repository itself. Tasks and pods already ' +
      'running the image keep running; new pulls of it fail. An image that is not there is reported as already gone. ' +
      'Irreversible: ECR keeps no copy.',
    resourceTypes: ['AWS::ECR::Repository'],
    params: z.strictObject({
      image_tag: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag: letters, digits and _.-, up to 128 characters')
        .optional()
        .describe('The tag of the image to delete (the image it points at is deleted, with all its tags).'),
      image_digest: z
        .string()
        .regex(DIGEST, 'an image digest: sha256: and 64 hex digits')
        .optional()
        .describe('The digest of the image to delete; wins over image_tag.'),
    }),
    positional: ['image_tag'],
    overridable: ['image_tag', 'image_digest'],
    destructive: true,
    permissions: [
      {
        actions: ['ecr:DescribeImages', 'ecr:BatchDeleteImage'],
        resources: [REPOSITORY_ARN],
        reason: 'find the image (its digest and tags) in the repository and delete it',
      },
    ],
    undo: { 'image-deleted': { reversible: false, why: 'a deleted image cannot be brought back: ECR keeps no copy' } },
  },
  async run(ctx) {
    const { ECRClient, BatchDeleteImageCommand, DescribeImagesCommand } = await sdk.ecr();
    const ecr = ctx.client(ECRClient);
    const repositoryName = ctx.finding.resource.id;
    const digest = ctx.params.image_digest ?? (ctx.params.image_tag ? undefined : findingDigest(ctx));
    const wanted: ImageIdentifier | undefined = digest
      ? { imageDigest: digest }
      : ctx.params.image_tag
        ? { imageTag: ctx.params.image_tag }
        : undefined;
    if (!wanted) return skipped(`no image named: set image_tag or image_digest for ${NAME} (the finding names no image digest)`);
    const named = wanted.imageDigest ?? `tag ${wanted.imageTag}`;
    let image: ImageDetail | undefined;
    try {
      image = (await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [wanted] }))).imageDetails?.[0];
    } catch (error) {
      if (isNotFound(error)) return alreadyCompliant(`repository ${repositoryName} holds no image ${named}: nothing to delete`);
      throw error;
    }
    const imageDigest = image?.imageDigest;
    if (!imageDigest) return alreadyCompliant(`repository ${repositoryName} holds no image ${named}: nothing to delete`);
    const tags = image?.imageTags?.length ? image.imageTags.join(', ') : 'untagged';
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'ecr:BatchDeleteImage',
        target: `arn:${ctx.partition}:ecr:${ctx.region}:${ctx.account}:repository/${repositoryName}`,
        description: `deleted image ${imageDigest} (${tags}; pushed ${image?.imagePushedAt?.toISOString() ?? 'at an unknown time'}) from ${repositoryName}`,
        undo: { kind: 'image-deleted', before: { imageDigest, imageTags: image?.imageTags ?? [] }, after: null },
      },
      async () => {
        const { failures = [] } = await ecr.send(new BatchDeleteImageCommand({ repositoryName, imageIds: [{ imageDigest }] }));
        // Deleted meanwhile by someone else: the outcome wanted all the same.
        const real = failures.filter((f) => f.failureCode !== 'ImageNotFound');
        if (real.length > 0) {
          throw new Error(`ECR did not delete ${imageDigest}: ${real.map((f) => `${f.failureCode}: ${f.failureReason}`).join('; ')}`);
        }
      },
    );
    return changes.result(`deleted image ${imageDigest} (${tags}) from ECR repository ${repositoryName}`);
  },
});
