import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { ACCESS_KEY_ID, accessKeyIdOf, listAccessKeys } from './access-keys';
import { keyLabel } from './access-key-age';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { ACCESS_KEY_STATUS_KIND, ACCESS_KEY_STATUS_UNDO, accessKeyStatusUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_revoke_access_key';

export default defineBot({
  meta: {
    name: NAME,
    summary: "Deactivate one of the user's access keys (the one the finding names, or access_key_id)",
    description:
      'Sets the access key to Inactive: requests signed with it fail from then on, and it can be turned back on (nothing is ' +
      'deleted; iam_delete_access_key deletes). The key is the `access_key_id` param, else the one the finding names ' +
      "(GuardDuty's accessKeyDetails.accessKeyId). A key the user does not have is an error: it names the wrong user or key.",
    resourceTypes: ['AWS::IAM::User'],
    params: z.strictObject({
      access_key_id: ACCESS_KEY_ID.optional().describe('the key to deactivate; default: the key the finding names'),
    }),
    positional: ['access_key_id'],
    permissions: [
      {
        actions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
        resources: USER_RESOURCES,
        reason: "find the key among the user's keys, and deactivate it",
        global: true,
      },
    ],
    undo: { [ACCESS_KEY_STATUS_KIND]: ACCESS_KEY_STATUS_UNDO },
  },
  undoers: { [ACCESS_KEY_STATUS_KIND]: accessKeyStatusUndoer },
  async run(ctx) {
    const { IAMClient, UpdateAccessKeyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const keyId = accessKeyIdOf(ctx, ctx.params.access_key_id, NAME);
    const label = keyLabel(keyId);
    const key = (await listAccessKeys(iam, userName)).find((k) => k.AccessKeyId === keyId);
    if (!key) throw new Error(`${NAME}: IAM user ${userName} has no access key ${label}; check the finding's user and key`);
    const changes = new ChangeSet(ctx);
    if (key.Status !== 'Inactive') {
      await changes.apply(
        {
          action: 'iam:UpdateAccessKey',
          target: userArnOf(ctx, userName),
          description: `access key ${label} ${key.Status} -> Inactive`,
          undo: {
            kind: ACCESS_KEY_STATUS_KIND,
            before: { accessKeyId: keyId, status: key.Status },
            after: { accessKeyId: keyId, status: 'Inactive' },
          },
        },
        () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: 'Inactive' })),
      );
    }
    return changes.result(
      `deactivated access key ${label} of IAM user ${userName}`,
      `access key ${label} of IAM user ${userName} is already inactive`,
    );
  },
});
