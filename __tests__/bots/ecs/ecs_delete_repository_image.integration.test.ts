import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import bot from '../../../bots/ecs/ecs_delete_repository_image';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { admin, botSession } from '../lambda/lambda-moto';

const manifest = (layer: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 100, digest: `sha256:${'c'.repeat(64)}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 200, digest: `sha256:${layer.repeat(64)}` }],
  });

describeMoto('ecs_delete_repository_image against moto', () => {
  it('deletes the tagged image with every tag, keeps the other image, then reports already-compliant', async () => {
    const ecr = (await admin()).client(ECRClient);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
    const bad = await ecr.send(new PutImageCommand({ repositoryName: 'team/app', imageManifest: manifest('1'), imageTag: 'latest' }));
    await ecr.send(new PutImageCommand({ repositoryName: 'team/app', imageManifest: manifest('1'), imageTag: 'v1' }));
    await ecr.send(new PutImageCommand({ repositoryName: 'team/app', imageManifest: manifest('2'), imageTag: 'v2' }));

    const scoped = await botSession(bot, 'team/app');
    const resource = { type: 'AWS::ECR::Repository', id: 'team/app' };
    const first = await bot.run(botContext(bot, { resource, params: { image_tag: 'latest' }, client: scoped.client }));
    expect(first.status).toBe('remediated');

    const left = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'team/app' }))).imageDetails ?? [];
    expect(left.map((i) => i.imageTags)).toEqual([['v2']]);
    expect(left.map((i) => i.imageDigest)).not.toContain(bad.image!.imageId!.imageDigest);

    const second = await bot.run(botContext(bot, { resource, params: { image_tag: 'latest' }, client: scoped.client }));
    expect(second.status).toBe('already-compliant');
  });
});
