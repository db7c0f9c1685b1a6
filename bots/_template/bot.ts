/**
 * TEMPLATE: copy this file to bots/<service>/<bot_name>.ts to start a bot (see
 * CONTRIBUTING.md, "Adding a bot"). It is type-checked and tested like a bot
 * (__tests__/bots/template.test.ts) but not registered, so it never runs and
 * is not in the catalog or any policy.
 *
 * What every bot does, shown here on one S3 setting:
 * - declares everything the deployer needs in `meta`: the member role's policy,
 *   the session policy of each run and docs/bots.md are generated from it alone;
 * - reads the current state first and changes only what is wrong, so a second
 *   run reports `already-compliant` (bots are retried and must be idempotent);
 * - makes every write through `ChangeSet.apply`, which records it and skips it
 *   in dry run, so the code reads the same in both modes;
 * - loads its SDK client inside `run()` through bots/sdk.ts (`await sdk.s3()`),
 *   so a cold start pays only for the services the bots it runs use and a
 *   warm run does not pay for the import again;
 * - throws on what it cannot handle: the runner classifies the error (retryable
 *   or not) and reports it with the writes already made;
 * - records with every change what `cloudmend undo` needs (`undo: { kind,
 *   before, after }`), and declares each kind in `meta.undo`: reversible, with
 *   its undo permissions and an undoer in `undoers`, or irreversible with why.
 */
import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { sdk } from '../sdk';

/** The finding's resource id: a bucket name, or a bucket ARN as Security Hub gives it. */
function bucketName(resourceId: string): string {
  const match = /^arn:[\w-]+:s3:::([^/]+)$/.exec(resourceId);
  return match?.[1] ?? resourceId;
}

export default defineBot({
  meta: {
    // snake_case, `<service>_<what it does>`, and the CloudBots name when CloudBots has the bot.
    name: 's3_disable_acls',
    summary: 'Turn off ACLs on the bucket (object ownership: bucket owner enforced)',
    description:
      'Sets the bucket object ownership to BucketOwnerEnforced, which disables ACLs: access is then governed by ' +
      'policies alone. S3 refuses the change while the bucket ACL grants access to another account; the bot then ' +
      'fails with the error S3 gives and changes nothing.',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.12'] },
    // Every param described (the catalog and editor completion show it), strict so a misspelt one is an error.
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'],
        // Templates, never `*` when the API takes a resource: {partition} {region} {account} {resourceId}.
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read and set the object ownership of the bucket',
      },
    ],
    // Per kind of change the bot records: how `cloudmend undo` reverses it, and what it needs to (granted to undo sessions only).
    undo: {
      'object-ownership': {
        reversible: true,
        how: 'puts the object ownership back as it was (removes the setting if the bucket had none)',
        permissions: [
          {
            actions: ['s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'],
            resources: ['arn:{partition}:s3:::{resourceId}'],
            reason: 'undo: read the object ownership and put back the recorded one',
          },
        ],
      },
    },
  },
  // Reads and writes the state each reversible kind records: undo refuses when `read` no longer gives `after`.
  undoers: {
    'object-ownership': {
      async read(ctx) {
        const { S3Client, GetBucketOwnershipControlsCommand } = await sdk.s3();
        const output = await ctx
          .client(S3Client)
          .send(new GetBucketOwnershipControlsCommand({ Bucket: bucketName(ctx.target) }))
          .catch((error: unknown) => {
            if ((error as { name?: string }).name === 'OwnershipControlsNotFoundError') return undefined;
            throw error;
          });
        return { ObjectOwnership: output?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null };
      },
      async write(ctx, state) {
        const { S3Client, PutBucketOwnershipControlsCommand, DeleteBucketOwnershipControlsCommand } = await sdk.s3();
        const s3 = ctx.client(S3Client);
        const Bucket = bucketName(ctx.target);
        const { ObjectOwnership } = state as { ObjectOwnership: 'BucketOwnerPreferred' | 'ObjectWriter' | null };
        if (ObjectOwnership === null) await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
        else await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership }] } }));
      },
    },
  },
  async run(ctx) {
    const { S3Client, GetBucketOwnershipControlsCommand, PutBucketOwnershipControlsCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id);
    const current = await s3
      .send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))
      .then((output) => output.OwnershipControls?.Rules?.[0]?.ObjectOwnership)
      .catch((error: unknown) => {
        // A bucket that never had ownership controls set answers with this error: ACLs are on.
        if ((error as { name?: string }).name === 'OwnershipControlsNotFoundError') return undefined;
        throw error;
      });
    const changes = new ChangeSet(ctx);
    if (current !== 'BucketOwnerEnforced') {
      await changes.apply(
        {
          action: 's3:PutBucketOwnershipControls',
          target: `arn:${ctx.partition}:s3:::${bucket}`,
          description: `object ownership ${current ?? 'not set (ACLs on)'} -> BucketOwnerEnforced (ACLs off)`,
          undo: {
            kind: 'object-ownership',
            before: { ObjectOwnership: current ?? null },
            after: { ObjectOwnership: 'BucketOwnerEnforced' },
          },
        },
        () =>
          s3.send(
            new PutBucketOwnershipControlsCommand({
              Bucket: bucket,
              OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
            }),
          ),
      );
    }
    return changes.result(`turned off ACLs on ${bucket}`, `ACLs already off on ${bucket}`);
  },
});
