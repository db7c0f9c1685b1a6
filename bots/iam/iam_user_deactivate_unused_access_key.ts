import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { assessKey, keyLabel } from './access-key-age';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { ACCESS_KEY_STATUS_KIND, ACCESS_KEY_STATUS_UNDO, accessKeyStatusUndoer } from './iam-undo';
import { sdk } from '../sdk';

export default defineBot({
  meta: {
    name: 'iam_user_deactivate_unused_access_key',
    summary: "Deactivate the user's access keys unused for more than N days (default 90)",
    description:
      'For each active access key of the user: deactivates it (status Inactive, not deleted, so it can be turned back on) ' +
      'when it was last used more than `days` days ago, or was never used and created more than `days` days ago. ' +
      'Reports every key by the last four characters of its id, with its last use.',
    resourceTypes: ['AWS::IAM::User'],
    remediates: { securityHub: ['IAM.8', 'CIS.1.3', 'PCI.IAM.7'], config: ['iam-user-unused-credentials-check'] },
    params: z.strictObject({
      days: z.coerce.number().int().min(1).max(3650).default(90).describe('deactivate keys unused for more than this many days (1-3650)'),
    }),
    positional: ['days'],
    overridable: ['days'],
    permissions: [
      {
        actions: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:UpdateAccessKey'],
        resources: USER_RESOURCES,
        reason: "list the user's access keys and when each was last used, and deactivate the unused ones",
        global: true,
      },
    ],
    undo: { [ACCESS_KEY_STATUS_KIND]: ACCESS_KEY_STATUS_UNDO },
  },
  undoers: { [ACCESS_KEY_STATUS_KIND]: accessKeyStatusUndoer },
  async run(ctx) {
    const { IAMClient, ListAccessKeysCommand, GetAccessKeyLastUsedCommand, UpdateAccessKeyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const { days } = ctx.params;
    const now = ctx.now();

    const keys = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }));
      keys.push(...(page.AccessKeyMetadata ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);

    const changes = new ChangeSet(ctx);
    const deactivated: string[] = [];
    const kept: string[] = [];
    for (const key of keys) {
      if (!key.AccessKeyId) continue;
      const label = keyLabel(key.AccessKeyId);
      if (key.Status !== 'Active') {
        kept.push(`${label} already ${key.Status?.toLowerCase() ?? 'not active'}`);
        continue;
      }
      const { AccessKeyLastUsed } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
      const verdict = assessKey(
        { createDate: key.CreateDate, lastUsedDate: AccessKeyLastUsed?.LastUsedDate, lastUsedService: AccessKeyLastUsed?.ServiceName },
        now,
        days,
      );
      if (!verdict.unused) {
        kept.push(`${label} ${verdict.summary}`);
        continue;
      }
      const accessKeyId = key.AccessKeyId;
      await changes.apply(
        {
          action: 'iam:UpdateAccessKey',
          target: userArnOf(ctx, userName),
          description: `access key ${label} Active -> Inactive: ${verdict.summary}, unused for more than ${days} days`,
          undo: {
            kind: ACCESS_KEY_STATUS_KIND,
            before: { accessKeyId, status: 'Active' },
            after: { accessKeyId, status: 'Inactive' },
          },
        },
        () => iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' })),
      );
      deactivated.push(`${label} ${verdict.summary}`);
    }

    const keptNote = kept.length > 0 ? `; kept ${kept.join('; ')}` : '';
    return changes.result(
      `deactivated access keys of IAM user ${userName} unused for more than ${days} days: ` + `${deactivated.join('; ')}${keptNote}`,
      keys.length === 0
        ? `IAM user ${userName} has no access keys`
        : `no active access key of IAM user ${userName} is unused for more than ${days} days: ${kept.join('; ')}`,
    );
  },
});
