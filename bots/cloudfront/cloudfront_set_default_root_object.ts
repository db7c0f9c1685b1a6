import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { DISTRIBUTION_RESOURCE, distributionArn, distributionId, distributionIdOfTarget, readDistributionConfig } from './distribution';
import { sdk } from '../sdk';

const NAME = 'cloudfront_set_default_root_object';
/** Another writer changed the distribution between our read and our write: read again, this many times in all. */
const ATTEMPTS = 3;

const PERMISSION = {
  actions: ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
  resources: [DISTRIBUTION_RESOURCE],
  // CloudFront's API is global (one endpoint, us-east-1): the member role's Region bound must not apply to it.
  global: true,
};

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Set a default root object (default index.html) on a CloudFront distribution that has none',
    description:
      'Reads the distribution config and, when it has no default root object, calls UpdateDistribution with the config ' +
      'exactly as read (IfMatch its ETag) except DefaultRootObject = `root_object`, so a request for the distribution’s ' +
      'root URL returns that object instead of the origin’s listing or error. An existing default root object is never ' +
      'replaced. When the distribution changes between the read and the write (PreconditionFailed) the bot reads again, ' +
      'up to three times. The object should exist at the origin; the bot does not check. Reversible: undo clears it again.',
    resourceTypes: ['AWS::CloudFront::Distribution'],
    remediates: { securityHub: ['CloudFront.1'], config: ['cloudfront-default-root-object-configured'] },
    params: z.strictObject({
      root_object: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[A-Za-z0-9_.\-~!$&'()*+,;=:@/]+$/, 'an object name (letters, digits and URL path characters)')
        .refine((name) => !name.startsWith('/'), 'without a leading /: CloudFront takes the object name, not a path')
        .default('index.html')
        .describe('The object CloudFront returns for the root URL, without a leading / (default index.html).'),
    }),
    positional: ['root_object'],
    overridable: ['root_object'],
    permissions: [{ ...PERMISSION, reason: 'read the distribution config and its ETag, and update it with a default root object' }],
    undo: {
      'default-root-object': {
        reversible: true,
        how: 'sets the default root object back to what it was (none)',
        permissions: [{ ...PERMISSION, reason: 'undo: read the distribution config and set the default root object back' }],
      },
    },
  },
  undoers: {
    'default-root-object': {
      async read(ctx) {
        const { CloudFrontClient } = await sdk.cloudFront();
        const { config } = await readDistributionConfig(ctx.client(CloudFrontClient), NAME, distributionIdOfTarget(ctx.target));
        return { DefaultRootObject: config.DefaultRootObject ?? '' };
      },
      async write(ctx, state) {
        const { CloudFrontClient, UpdateDistributionCommand } = await sdk.cloudFront();
        const cloudfront = ctx.client(CloudFrontClient);
        const id = distributionIdOfTarget(ctx.target);
        const { config, etag } = await readDistributionConfig(cloudfront, NAME, id);
        const { DefaultRootObject } = state as { DefaultRootObject: string };
        await cloudfront.send(
          new UpdateDistributionCommand({ Id: id, IfMatch: etag, DistributionConfig: { ...config, DefaultRootObject } }),
        );
      },
    },
  },
  async run(ctx) {
    const { CloudFrontClient, UpdateDistributionCommand } = await sdk.cloudFront();
    const cloudfront = ctx.client(CloudFrontClient);
    const id = distributionId(NAME, ctx.finding.resource.id);
    const rootObject = ctx.params.root_object;
    const changes = new ChangeSet(ctx);
    for (let attempt = 1; ; attempt++) {
      const { config, etag } = await readDistributionConfig(cloudfront, NAME, id);
      const current = config.DefaultRootObject ?? '';
      if (current !== '') {
        return changes.result('', `CloudFront distribution ${id} already has default root object ${current}`);
      }
      try {
        await changes.apply(
          {
            action: 'cloudfront:UpdateDistribution',
            target: distributionArn(ctx.partition, ctx.account, id),
            description: `default root object (none) -> ${rootObject}`,
            undo: { kind: 'default-root-object', before: { DefaultRootObject: '' }, after: { DefaultRootObject: rootObject } },
          },
          () =>
            cloudfront.send(
              new UpdateDistributionCommand({ Id: id, IfMatch: etag, DistributionConfig: { ...config, DefaultRootObject: rootObject } }),
            ),
        );
        return changes.result(`set default root object ${rootObject} on CloudFront distribution ${id}`);
      } catch (error) {
        // Changed by someone else since our read: read the new config (and ETag) and decide again.
        if ((error as { name?: string }).name !== 'PreconditionFailed' || attempt >= ATTEMPTS) throw error;
        ctx.log.info('distribution changed between read and update; reading it again', { distribution: id, attempt });
      }
    }
  },
});
