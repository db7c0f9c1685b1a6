/**
 * Undo for the KMS changes bots make (issue #11): automatic rotation, the key
 * enabled after a cancelled deletion, the key policy. The change's target is
 * the key ARN, which every KMS API takes as KeyId.
 */
import type { Undoer, UndoKind } from '../types';
import { KEY_RESOURCES } from './key-id';
import { sdk } from '../sdk';

/** The key id of the key ARN a change names (the bare id works in every KMS API of the key's own account and Region). */
function keyIdOfTarget(target: string): string {
  return target.includes(':key/') ? target.slice(target.indexOf(':key/') + 5) : target;
}

export const ROTATION_KIND = 'key-rotation';

export const ROTATION_UNDO: UndoKind = {
  reversible: true,
  how: 'turns automatic rotation of the key off again (key material rotated meanwhile stays, and decrypts as before)',
  permissions: [
    {
      actions: ['kms:GetKeyRotationStatus', 'kms:DisableKeyRotation'],
      resources: KEY_RESOURCES,
      reason: 'undo: read the rotation status of the key and turn rotation off',
    },
  ],
};

export const rotationUndoer: Undoer = {
  async read(ctx) {
    const { KMSClient, GetKeyRotationStatusCommand } = await sdk.kms();
    const { KeyRotationEnabled } = await ctx.client(KMSClient).send(new GetKeyRotationStatusCommand({ KeyId: keyIdOfTarget(ctx.target) }));
    return { KeyRotationEnabled: KeyRotationEnabled === true };
  },
  async write(ctx, state) {
    const { KMSClient, DisableKeyRotationCommand, EnableKeyRotationCommand } = await sdk.kms();
    const kms = ctx.client(KMSClient);
    if ((state as { KeyRotationEnabled: boolean }).KeyRotationEnabled)
      await kms.send(new EnableKeyRotationCommand({ KeyId: keyIdOfTarget(ctx.target) }));
    else await kms.send(new DisableKeyRotationCommand({ KeyId: keyIdOfTarget(ctx.target) }));
  },
};

export const KEY_ENABLED_KIND = 'key-enabled';

export const KEY_ENABLED_UNDO: UndoKind = {
  reversible: true,
  how: 'disables the key again, as cancelling its deletion left it (its deletion stays cancelled)',
  permissions: [
    { actions: ['kms:DescribeKey', 'kms:DisableKey'], resources: KEY_RESOURCES, reason: 'undo: read the key state and disable the key' },
  ],
};

export const keyEnabledUndoer: Undoer = {
  async read(ctx) {
    const { KMSClient, DescribeKeyCommand } = await sdk.kms();
    const { KeyMetadata } = await ctx.client(KMSClient).send(new DescribeKeyCommand({ KeyId: keyIdOfTarget(ctx.target) }));
    return { KeyState: KeyMetadata?.KeyState ?? null };
  },
  async write(ctx) {
    // The one state it restores: disabled (the bot only ever enables a key its cancellation left disabled).
    const { KMSClient, DisableKeyCommand } = await sdk.kms();
    await ctx.client(KMSClient).send(new DisableKeyCommand({ KeyId: keyIdOfTarget(ctx.target) }));
  },
};

export const DELETION_CANCELLED_KIND = 'key-deletion-cancelled';

export const DELETION_CANCELLED_UNDO: UndoKind = {
  reversible: false,
  why: 'undo would schedule the key for deletion again, a destructive act cloudmend never takes on its own (and the original deletion date cannot be restored: a new waiting period would start); schedule it by hand if the key really should go',
};

export const KEY_POLICY_KIND = 'key-policy';

export const KEY_POLICY_UNDO: UndoKind = {
  reversible: true,
  how: 'puts the key policy back as it was, the statements allowing any principal included',
  permissions: [
    {
      actions: ['kms:GetKeyPolicy', 'kms:PutKeyPolicy'],
      resources: KEY_RESOURCES,
      reason: 'undo: read the key policy and put back the recorded one',
    },
  ],
};

export const keyPolicyUndoer: Undoer = {
  async read(ctx) {
    const { KMSClient, GetKeyPolicyCommand } = await sdk.kms();
    const { Policy } = await ctx
      .client(KMSClient)
      .send(new GetKeyPolicyCommand({ KeyId: keyIdOfTarget(ctx.target), PolicyName: 'default' }));
    return JSON.parse(Policy ?? 'null') as unknown;
  },
  async write(ctx, state) {
    const { KMSClient, PutKeyPolicyCommand } = await sdk.kms();
    await ctx
      .client(KMSClient)
      .send(new PutKeyPolicyCommand({ KeyId: keyIdOfTarget(ctx.target), PolicyName: 'default', Policy: JSON.stringify(state) }));
  },
};
