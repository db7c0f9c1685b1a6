import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { KEY_RESOURCES, keyIdOf } from './key-id';
import { DELETION_CANCELLED_KIND, DELETION_CANCELLED_UNDO, KEY_ENABLED_KIND, KEY_ENABLED_UNDO, keyEnabledUndoer } from './kms-undo';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const NAME = 'kms_cancel_key_deletion';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Cancel the scheduled deletion of a customer managed KMS key, and enable it again',
    description:
      'A key pending deletion cannot be used, and once deleted everything encrypted under it is lost for good. CancelKeyDeletion ' +
      'leaves the key disabled; with `enable` (the default) the bot enables it again, since a key scheduled for deletion was ' +
      'most likely in use. Set enable=false to keep it disabled for review. AWS managed keys are skipped (AWS owns their ' +
      'life cycle); a key not pending deletion is compliant.',
    resourceTypes: ['AWS::KMS::Key'],
    remediates: { securityHub: ['KMS.3'], config: ['kms-cmk-not-scheduled-for-deletion'] },
    params: z.strictObject({
      enable: flagParam.default(true).describe('enable the key after cancelling its deletion (it stays disabled otherwise)'),
    }),
    positional: ['enable'],
    permissions: [
      {
        actions: ['kms:DescribeKey', 'kms:CancelKeyDeletion', 'kms:EnableKey'],
        resources: KEY_RESOURCES,
        reason: 'read the key state, cancel its deletion and enable it again',
      },
    ],
    undo: { [DELETION_CANCELLED_KIND]: DELETION_CANCELLED_UNDO, [KEY_ENABLED_KIND]: KEY_ENABLED_UNDO },
  },
  undoers: { [KEY_ENABLED_KIND]: keyEnabledUndoer },
  async run(ctx) {
    const { KMSClient, DescribeKeyCommand, CancelKeyDeletionCommand, EnableKeyCommand } = await sdk.kms();
    const kms = ctx.client(KMSClient);
    const keyId = keyIdOf(ctx, NAME);
    const { KeyMetadata: key } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    if (!key) throw new Error(`${NAME}: DescribeKey returned no metadata for ${keyId}`);
    const arn = key.Arn ?? keyId;
    if (key.KeyManager === 'AWS') return skipped(`${arn} is an AWS managed key: AWS owns its life cycle`);
    const changes = new ChangeSet(ctx);
    if (key.KeyState === 'PendingDeletion') {
      const when = key.DeletionDate ? ` (was to be deleted ${key.DeletionDate.toISOString().slice(0, 10)})` : '';
      await changes.apply(
        {
          action: 'kms:CancelKeyDeletion',
          target: arn,
          description: `deletion cancelled${when}; key now disabled`,
          undo: { kind: DELETION_CANCELLED_KIND, before: { KeyState: 'PendingDeletion' }, after: { KeyState: 'Disabled' } },
        },
        () => kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })),
      );
      if (ctx.params.enable) {
        await changes.apply(
          {
            action: 'kms:EnableKey',
            target: arn,
            description: 'key disabled -> enabled',
            undo: { kind: KEY_ENABLED_KIND, before: { KeyState: 'Disabled' }, after: { KeyState: 'Enabled' } },
          },
          () => kms.send(new EnableKeyCommand({ KeyId: keyId })),
        );
      }
    }
    return changes.result(
      `cancelled the deletion of ${arn}${ctx.params.enable ? ' and enabled it again' : '; it stays disabled'}`,
      `${arn} is not pending deletion (state ${key.KeyState ?? 'unknown'})`,
    );
  },
});
