import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type BotContext } from '../types';
import { ROTATION_KIND, ROTATION_UNDO, rotationUndoer } from './kms-undo';
import { sdk } from '../sdk';

/** `arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...` -> region. */
const KEY_ARN = /^arn:[\w-]+:kms:([\w-]+):\d{12}:key\/.+$/;

/**
 * The finding may name the key by id or by ARN; both are what the KMS API
 * takes. An ARN in another region than the finding's would make the bot act in
 * the wrong place, so it is rejected, as is anything that is not a key (an alias).
 */
function checkKeyId(resourceId: string, ctx: Pick<BotContext, 'region'>): string {
  if (!resourceId.startsWith('arn:')) {
    if (resourceId.startsWith('alias/')) {
      throw new Error(`kms_enable_rotation: "${resourceId}" is an alias; the finding must name the key by key id or key ARN`);
    }
    return resourceId;
  }
  const match = KEY_ARN.exec(resourceId);
  if (!match) throw new Error(`kms_enable_rotation: "${resourceId}" is not a KMS key id or key ARN`);
  if (match[1] !== ctx.region) {
    throw new Error(`kms_enable_rotation: key ${resourceId} is in ${match[1]}, but the finding is for ${ctx.region}`);
  }
  return resourceId;
}

export default defineBot({
  meta: {
    name: 'kms_enable_rotation',
    summary: 'Turn on automatic rotation of a customer-managed KMS key',
    description:
      'Turns on automatic yearly rotation of the key material of a customer-managed symmetric encryption key ' +
      '(EnableKeyRotation with the default period). Old key material is kept, so existing ciphertext stays readable. ' +
      'Keys that cannot be rotated this way are reported as skipped and left alone: AWS-managed keys (AWS rotates them ' +
      'itself), asymmetric and HMAC keys, keys with imported or custom key store material, multi-Region replicas (rotation ' +
      'is set on the primary), and keys that are not enabled (disabled, pending deletion or import).',
    resourceTypes: ['AWS::KMS::Key'],
    remediates: { securityHub: ['KMS.4', 'CIS.2.8', 'PCI.KMS.1'], config: ['cmk-backing-key-rotation-enabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation'],
        resources: ['arn:{partition}:kms:{region}:{account}:key/{resourceId}'],
        reason: 'check that the key is a rotatable customer-managed key, read its rotation status and turn rotation on',
      },
    ],
    undo: { [ROTATION_KIND]: ROTATION_UNDO },
  },
  undoers: { [ROTATION_KIND]: rotationUndoer },
  async run(ctx) {
    const { KMSClient, DescribeKeyCommand, GetKeyRotationStatusCommand, EnableKeyRotationCommand } = await sdk.kms();
    const kms = ctx.client(KMSClient);
    const keyId = checkKeyId(ctx.finding.resource.id, ctx);

    const { KeyMetadata: key } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    if (!key) throw new Error(`kms_enable_rotation: DescribeKey returned no metadata for ${keyId}`);
    const arn = key.Arn ?? keyId;

    const refusal = whyNotRotatable(key);
    if (refusal) return skipped(`${arn}: ${refusal}`);

    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    const changes = new ChangeSet(ctx);
    if (!status.KeyRotationEnabled) {
      await changes.apply(
        {
          action: 'kms:EnableKeyRotation',
          target: arn,
          description: 'automatic key rotation off -> on',
          undo: { kind: ROTATION_KIND, before: { KeyRotationEnabled: false }, after: { KeyRotationEnabled: true } },
        },
        () => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
      );
    }
    return changes.result(`turned on automatic rotation of ${arn}`, `automatic rotation is already on for ${arn}`);
  },
});

interface KeyFacts {
  KeyManager?: string | undefined;
  KeyState?: string | undefined;
  KeySpec?: string | undefined;
  Origin?: string | undefined;
  MultiRegionConfiguration?: { MultiRegionKeyType?: string | undefined; PrimaryKey?: { Arn?: string | undefined } | undefined } | undefined;
}

/** Why KMS would refuse (or must not be asked) to rotate this key; undefined when it can. */
function whyNotRotatable(key: KeyFacts): string | undefined {
  if (key.KeyManager === 'AWS') return 'AWS-managed keys rotate automatically and cannot be changed';
  if (key.KeyState !== 'Enabled') return `key state is ${key.KeyState ?? 'unknown'}; only enabled keys can have rotation turned on`;
  if (key.KeySpec && key.KeySpec !== 'SYMMETRIC_DEFAULT') {
    return `key spec ${key.KeySpec}: automatic rotation is only supported for symmetric encryption keys (not asymmetric or HMAC keys)`;
  }
  if (key.Origin === 'EXTERNAL')
    return 'the key has imported key material (origin EXTERNAL), which KMS cannot rotate automatically; rotate it manually';
  if (key.Origin && key.Origin !== 'AWS_KMS') return `keys in a custom key store (origin ${key.Origin}) do not support automatic rotation`;
  if (key.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA') {
    return `multi-Region replica key: rotation is set on the primary key ${key.MultiRegionConfiguration.PrimaryKey?.Arn ?? ''}`.trimEnd();
  }
  return undefined;
}
