import { z } from 'zod';
import { alreadyCompliant, ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { readTrail, TRAIL_READ_UPDATE } from './trail';
import { TRAIL_ENCRYPTION_KIND, TRAIL_ENCRYPTION_UNDO, trailChange, trailEncryptionUndoer } from './cloudtrail-undo';
import { sdk } from '../sdk';

const NAME = 'cloudtrail_encrypt_log_files_using_existing_key';

/** A KMS key ARN: CloudTrail takes an alias too, but a key ARN is the one thing a policy review can pin. */
export const KMS_KEY_ARN = z
  .string()
  .regex(
    /^arn:[\w-]+:kms:[\w-]+:\d{12}:key\/[\w-]+$/,
    'a KMS key ARN, e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  );

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Encrypt the trail’s log files with a given KMS key (SSE-KMS)',
    description:
      'Sets the trail’s KmsKeyId to `kms_key_arn` when the trail is not encrypted with a KMS key yet; a trail already ' +
      'encrypted with any key is left alone. The key must be in the trail’s home Region and its key policy must let ' +
      'cloudtrail.amazonaws.com encrypt for this trail (GenerateDataKey*, DescribeKey): CloudTrail refuses the update ' +
      'otherwise, and the bot reports that refusal. An organization trail seen from a member account is skipped.',
    resourceTypes: ['AWS::CloudTrail::Trail'],
    params: z.strictObject({ kms_key_arn: KMS_KEY_ARN.describe('the KMS key to encrypt the log files with (key ARN)') }),
    positional: ['kms_key_arn'],
    permissions: TRAIL_READ_UPDATE,
    undo: { [TRAIL_ENCRYPTION_KIND]: TRAIL_ENCRYPTION_UNDO },
  },
  undoers: { [TRAIL_ENCRYPTION_KIND]: trailEncryptionUndoer },
  async run(ctx) {
    const { UpdateTrailCommand } = await sdk.cloudTrail();
    const found = await readTrail(ctx, NAME);
    if (found.trail.IsOrganizationTrail && found.owner !== ctx.account) {
      return skipped(`${found.name} is an organization trail owned by account ${found.owner}; encrypt it there`);
    }
    if (found.trail.KmsKeyId) return alreadyCompliant(`trail ${found.name} is already encrypted with ${found.trail.KmsKeyId}`);
    const key = ctx.params.kms_key_arn;
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'cloudtrail:UpdateTrail',
        target: found.arn,
        description: `log files SSE-S3 -> SSE-KMS with ${key}`,
        undo: trailChange(TRAIL_ENCRYPTION_KIND, found.homeRegion, { KmsKeyId: null }, { KmsKeyId: key }),
      },
      async () => (await found.updater()).send(new UpdateTrailCommand({ Name: found.arn, KmsKeyId: key })),
    );
    return changes.result(`trail ${found.name} now encrypts its log files with ${key}`);
  },
});
