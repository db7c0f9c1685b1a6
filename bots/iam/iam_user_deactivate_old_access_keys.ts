import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { keyLabel } from './access-key-age';
import { listAccessKeys } from './access-keys';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { ACCESS_KEY_STATUS_KIND, ACCESS_KEY_STATUS_UNDO, accessKeyStatusUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_user_deactivate_old_access_keys';
const DAY_MS = 24 * 60 * 60 * 1000;

export default defineBot({
  meta: {
    name: NAME,
    summary: "Deactivate the user's active access keys created more than N days ago (default 90), used or not",
    description:
      'Key rotation by age (IAM.3, CIS 1.4): each active key created more than `days` days ago is set to Inactive, however ' +
      'recently it was used; the owner creates a new key and moves to it (cloudmend never creates credentials). Inactive keys ' +
      'can be turned back on, nothing is deleted. Keys unused for long are iam_user_deactivate_unused_access_key’s concern.',
    resourceTypes: ['AWS::IAM::User'],
    remediates: { securityHub: ['IAM.3', 'CIS.1.4'], config: ['access-keys-rotated'] },
    params: z.strictObject({
      days: z.coerce.number().int().min(1).max(3650).default(90).describe('deactivate active keys older than this many days (1-3650)'),
    }),
    positional: ['days'],
    permissions: [
      {
        actions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
        resources: USER_RESOURCES,
        reason: "list the user's access keys with their creation dates, and deactivate the old ones",
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
    const { days } = ctx.params;
    const now = ctx.now().getTime();
    const changes = new ChangeSet(ctx);
    const deactivated: string[] = [];
    const kept: string[] = [];
    for (const key of await listAccessKeys(iam, userName)) {
      const keyId = key.AccessKeyId;
      if (!keyId) continue;
      const created = key.CreateDate;
      const age = created ? Math.floor((now - created.getTime()) / DAY_MS) : undefined;
      const label = `${keyLabel(keyId)} created ${created ? `${created.toISOString().slice(0, 10)} (${age} days ago)` : 'on an unknown date'}`;
      // Without a creation date the age is unknown: the key is left alone rather than guessed at.
      const old = created !== undefined && now - created.getTime() > days * DAY_MS;
      if (key.Status !== 'Active' || !old) {
        kept.push(key.Status === 'Active' ? label : `${keyLabel(keyId)} already ${key.Status?.toLowerCase() ?? 'not active'}`);
        continue;
      }
      await changes.apply(
        {
          action: 'iam:UpdateAccessKey',
          target: userArnOf(ctx, userName),
          description: `access key ${label} Active -> Inactive: older than ${days} days`,
          undo: {
            kind: ACCESS_KEY_STATUS_KIND,
            before: { accessKeyId: keyId, status: 'Active' },
            after: { accessKeyId: keyId, status: 'Inactive' },
          },
        },
        () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: 'Inactive' })),
      );
      deactivated.push(label);
    }
    const keptNote = kept.length > 0 ? `; kept ${kept.join('; ')}` : '';
    return changes.result(
      `deactivated access keys of IAM user ${userName} older than ${days} days: ${deactivated.join('; ')}${keptNote}`,
      kept.length === 0
        ? `IAM user ${userName} has no access keys`
        : `no active access key of IAM user ${userName} is older than ${days} days: ${kept.join('; ')}`,
    );
  },
});
