import { z } from 'zod';
import type { KMSClient } from '@aws-sdk/client-kms';
import { alreadyCompliant, ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { CLOUDTRAIL_KEY_ALIAS, cloudTrailKeyPolicy } from './cloudtrail-key';
import { readTrail, TRAIL_READ_UPDATE } from './trail';
import {
  TRAIL_ENCRYPTION_KIND,
  TRAIL_ENCRYPTION_UNDO,
  TRAIL_KEY_CHANGE,
  TRAIL_KEY_KIND,
  TRAIL_KEY_UNDO,
  trailChange,
  trailEncryptionUndoer,
} from './cloudtrail-undo';
import { sdk } from '../sdk';

const NAME = 'cloudtrail_encrypt_log_files_using_new_key_creation';
const CREATED_BY = 'cloudmend:created-by';

/** The key behind the alias, or undefined when the alias does not exist yet. */
async function keyByAlias(kms: KMSClient): Promise<string | undefined> {
  const { DescribeKeyCommand } = await sdk.kms();
  try {
    return (await kms.send(new DescribeKeyCommand({ KeyId: CLOUDTRAIL_KEY_ALIAS }))).KeyMetadata?.Arn;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFoundException') return undefined;
    throw error;
  }
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Create a KMS key for CloudTrail (once per account and Region) and encrypt the trail’s log files with it',
    description:
      `Creates a symmetric customer managed key with rotation on, aliased ${CLOUDTRAIL_KEY_ALIAS} in the trail’s home Region ` +
      '(or reuses it when a previous run made it), whose key policy lets the account decide through IAM and lets ' +
      'cloudtrail.amazonaws.com encrypt only for this account’s trails; then sets it as the trail’s KmsKeyId. Readers of ' +
      'the logs now need kms:Decrypt on the key. A trail already encrypted with any key is left alone; an organization ' +
      'trail seen from a member account is skipped. A key costs about 1 USD a month.',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    remediates: { securityHub: ['CloudTrail.2', 'CIS.2.7', 'PCI.CloudTrail.1'], config: ['cloud-trail-encryption-enabled'] },
    params: z.strictObject({}),
    permissions: [
      ...TRAIL_READ_UPDATE,
      {
        actions: ['kms:CreateKey'],
        // CreateKey names no key yet: no resource-level permission.
        resources: ['*'],
        reason: 'create the CloudTrail key',
      },
      {
        actions: ['kms:TagResource', 'kms:DescribeKey', 'kms:EnableKeyRotation'],
        resources: ['arn:{partition}:kms:*:{account}:key/*'],
        reason: 'tag the new key cloudmend:created-by as it is created, find it again by its alias, and turn on its rotation',
      },
      {
        actions: ['kms:CreateAlias'],
        resources: ['arn:{partition}:kms:*:{account}:key/*', `arn:{partition}:kms:*:{account}:${CLOUDTRAIL_KEY_ALIAS}`],
        reason: `give the new key the alias ${CLOUDTRAIL_KEY_ALIAS} (authorized on both the alias and the key)`,
      },
    ],
    undo: { [TRAIL_ENCRYPTION_KIND]: TRAIL_ENCRYPTION_UNDO, [TRAIL_KEY_KIND]: TRAIL_KEY_UNDO },
  },
  undoers: { [TRAIL_ENCRYPTION_KIND]: trailEncryptionUndoer },
  async run(ctx) {
    const { UpdateTrailCommand } = await sdk.cloudTrail();
    const { KMSClient, CreateKeyCommand, CreateAliasCommand, EnableKeyRotationCommand } = await sdk.kms();
    const found = await readTrail(ctx, NAME);
    if (found.trail.IsOrganizationTrail && found.owner !== ctx.account) {
      return skipped(`${found.name} is an organization trail owned by account ${found.owner}; encrypt it there`);
    }
    if (found.trail.KmsKeyId) return alreadyCompliant(`trail ${found.name} is already encrypted with ${found.trail.KmsKeyId}`);

    const kms = found.homeRegion === ctx.region ? ctx.client(KMSClient) : ctx.client(KMSClient, { region: found.homeRegion });
    const changes = new ChangeSet(ctx);
    let key = await keyByAlias(kms);
    const aliasArn = `arn:${ctx.partition}:kms:${found.homeRegion}:${ctx.account}:${CLOUDTRAIL_KEY_ALIAS}`;
    if (!key) {
      const created = await changes.apply(
        {
          action: 'kms:CreateKey',
          target: aliasArn,
          description: `KMS key for CloudTrail log files created in ${found.homeRegion}`,
          undo: TRAIL_KEY_CHANGE,
        },
        () =>
          kms.send(
            new CreateKeyCommand({
              Description: 'Encrypts CloudTrail log files (created by cloudmend)',
              Policy: JSON.stringify(cloudTrailKeyPolicy(ctx.partition, ctx.account)),
              Tags: [{ TagKey: CREATED_BY, TagValue: NAME }],
            }),
          ),
      );
      const keyId = created?.KeyMetadata?.KeyId;
      key = created?.KeyMetadata?.Arn;
      await changes.apply(
        { action: 'kms:EnableKeyRotation', target: aliasArn, description: 'key rotation on', undo: TRAIL_KEY_CHANGE },
        () => kms.send(new EnableKeyRotationCommand({ KeyId: keyId })),
      );
      await changes.apply(
        {
          action: 'kms:CreateAlias',
          target: aliasArn,
          description: `alias ${CLOUDTRAIL_KEY_ALIAS} -> the new key`,
          undo: TRAIL_KEY_CHANGE,
        },
        () => kms.send(new CreateAliasCommand({ AliasName: CLOUDTRAIL_KEY_ALIAS, TargetKeyId: keyId })),
      );
    }
    const shown = key ?? `the new key ${CLOUDTRAIL_KEY_ALIAS}`;
    await changes.apply(
      {
        action: 'cloudtrail:UpdateTrail',
        target: found.arn,
        description: `log files SSE-S3 -> SSE-KMS with ${shown}`,
        undo: trailChange(TRAIL_ENCRYPTION_KIND, found.homeRegion, { KmsKeyId: null }, { KmsKeyId: key }),
      },
      async () => (await found.updater()).send(new UpdateTrailCommand({ Name: found.arn, KmsKeyId: key })),
    );
    return changes.result(`trail ${found.name} now encrypts its log files with ${shown}`);
  },
});
