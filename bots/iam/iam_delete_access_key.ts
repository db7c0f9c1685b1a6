import { z } from 'zod';
import { ChangeSet, alreadyCompliant } from '../changes';
import { defineBot } from '../types';
import { ACCESS_KEY_ID, accessKeyIdOf, listAccessKeys } from './access-keys';
import { keyLabel } from './access-key-age';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { sdk } from '../sdk';

const NAME = 'iam_delete_access_key';

export default defineBot({
  meta: {
    name: NAME,
    summary: "Delete one of the user's access keys (the one the finding names, or access_key_id)",
    description:
      'Deletes the access key for good: anything still using it breaks and the secret cannot be recovered (iam_revoke_access_key ' +
      'only deactivates). The key is the `access_key_id` param, else the one the finding names. A key the user no longer has ' +
      'is already compliant. Destructive: runs only when opted in.',
    resourceTypes: ['AWS::IAM::User'],
    params: z.strictObject({ access_key_id: ACCESS_KEY_ID.optional().describe('the key to delete; default: the key the finding names') }),
    positional: ['access_key_id'],
    permissions: [
      {
        actions: ['iam:ListAccessKeys', 'iam:DeleteAccessKey'],
        resources: USER_RESOURCES,
        reason: "find the key among the user's keys, and delete it",
        global: true,
      },
    ],
    destructive: true,
    undo: {
      'access-key-deletion': {
        reversible: false,
        why: 'a deleted access key cannot be brought back: its secret is gone; create a new key for the user if one is needed',
      },
    },
  },
  async run(ctx) {
    const { IAMClient, DeleteAccessKeyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const keyId = accessKeyIdOf(ctx, ctx.params.access_key_id, NAME);
    const label = keyLabel(keyId);
    const key = (await listAccessKeys(iam, userName)).find((k) => k.AccessKeyId === keyId);
    if (!key) return alreadyCompliant(`IAM user ${userName} has no access key ${label} (already deleted)`);
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'iam:DeleteAccessKey',
        undo: { kind: 'access-key-deletion', before: null, after: null },
        target: userArnOf(ctx, userName),
        description: `access key ${label} (${key.Status}, created ${key.CreateDate?.toISOString().slice(0, 10) ?? 'unknown'}) deleted`,
      },
      () => iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: keyId })),
    );
    return changes.result(`deleted access key ${label} of IAM user ${userName}`);
  },
});
