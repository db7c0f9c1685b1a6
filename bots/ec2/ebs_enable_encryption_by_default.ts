import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot, recordedAfter } from '../types';
import { sdk } from '../sdk';

/** The four forms ModifyEbsDefaultKmsKeyId accepts: key id, key ARN, alias name, alias ARN. */
const KMS_KEY_ID = '(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})';
const ALIAS = 'alias/[A-Za-z0-9/_-]+';
const KMS_KEY = new RegExp(`^(?:${KMS_KEY_ID}|${ALIAS}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(?:key/${KMS_KEY_ID}|${ALIAS}))$`);

/**
 * Whether the account's current default key is the one asked for. EBS reports
 * the default as an ARN, while the param may be a bare key id or alias name.
 */
export function sameKey(current: string | undefined, wanted: string): boolean {
  if (!current) return false;
  if (current === wanted || wanted.startsWith('arn:')) return current === wanted;
  if (wanted.startsWith('alias/')) return current.endsWith(`:${wanted}`);
  return current.endsWith(`:key/${wanted}`);
}

export default defineBot({
  meta: {
    name: 'ebs_enable_encryption_by_default',
    summary: 'Turn on EBS encryption by default in the account and region',
    description:
      'Turns on EBS encryption by default, so every new volume and snapshot copy in this account and region is ' +
      'encrypted. Existing volumes are not touched. With kms_key_id, first makes that key the default EBS key ' +
      '(EBS checks the key asynchronously: a wrong or disabled key makes later launches fail). EBS reports its ' +
      'default key as a key ARN, so give the key ARN or key id: an alias is set again on every run, harmlessly.',
    resourceTypes: ['AWS::::Account'],
    remediates: { securityHub: ['EC2.7'], config: ['ec2-ebs-encryption-by-default'] },
    params: z.strictObject({
      kms_key_id: z
        .string()
        .regex(KMS_KEY, 'expected a KMS key id, key ARN, alias/name or alias ARN')
        .optional()
        .describe('KMS key to make the default EBS key (key id, key ARN, alias/name or alias ARN); default: leave the current default key'),
    }),
    positional: ['kms_key_id'],
    overridable: [],
    sensitiveParams: { kms_key_id: 'key' },
    permissions: [
      {
        actions: ['ec2:GetEbsEncryptionByDefault', 'ec2:EnableEbsEncryptionByDefault'],
        resources: ['*'],
        reason: 'read and turn on the account-level setting (these actions support no resource-level permissions)',
      },
      {
        actions: ['ec2:GetEbsDefaultKmsKeyId', 'ec2:ModifyEbsDefaultKmsKeyId'],
        resources: ['*'],
        reason: 'read and set the default EBS KMS key when kms_key_id is given (no resource-level permissions)',
      },
    ],
    undo: {
      'ebs-encryption-by-default': {
        reversible: true,
        how: 'turns EBS encryption by default off again in the account and region (volumes created meanwhile stay encrypted)',
        permissions: [
          {
            actions: ['ec2:GetEbsEncryptionByDefault', 'ec2:DisableEbsEncryptionByDefault'],
            resources: ['*'],
            reason: 'undo: read and turn off the account-level setting (no resource-level permissions)',
          },
        ],
      },
      'ebs-default-key': {
        reversible: true,
        how: 'makes the previous default EBS KMS key the default again',
        permissions: [
          {
            actions: ['ec2:GetEbsDefaultKmsKeyId', 'ec2:ModifyEbsDefaultKmsKeyId'],
            resources: ['*'],
            reason: 'undo: read and set back the default EBS KMS key (no resource-level permissions)',
          },
        ],
      },
    },
  },
  undoers: {
    'ebs-encryption-by-default': {
      async read(ctx) {
        const { EC2Client, GetEbsEncryptionByDefaultCommand } = await sdk.ec2();
        return { enabled: (await ctx.client(EC2Client).send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault === true };
      },
      async write(ctx, state) {
        const { EC2Client, DisableEbsEncryptionByDefaultCommand, EnableEbsEncryptionByDefaultCommand } = await sdk.ec2();
        const ec2 = ctx.client(EC2Client);
        if ((state as { enabled: boolean }).enabled) await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
        else await ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
      },
    },
    'ebs-default-key': {
      async read(ctx) {
        const { EC2Client, GetEbsDefaultKmsKeyIdCommand } = await sdk.ec2();
        const { KmsKeyId } = await ctx.client(EC2Client).send(new GetEbsDefaultKmsKeyIdCommand({}));
        // EBS reports the key by ARN; the key the remediation set (by id or ARN) reads as recorded.
        const set = recordedAfter<{ KmsKeyId: string }>(ctx).KmsKeyId;
        return { KmsKeyId: sameKey(KmsKeyId, set) ? set : (KmsKeyId ?? null) };
      },
      async write(ctx, state) {
        const { EC2Client, ModifyEbsDefaultKmsKeyIdCommand } = await sdk.ec2();
        const { KmsKeyId } = state as { KmsKeyId: string | null };
        if (KmsKeyId) await ctx.client(EC2Client).send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId }));
      },
    },
  },
  async run(ctx) {
    const {
      EC2Client,
      EnableEbsEncryptionByDefaultCommand,
      GetEbsDefaultKmsKeyIdCommand,
      GetEbsEncryptionByDefaultCommand,
      ModifyEbsDefaultKmsKeyIdCommand,
    } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const target = `${ctx.account}/${ctx.region}`;
    const wantedKey = ctx.params.kms_key_id;
    const changes = new ChangeSet(ctx);

    // The key first: once encryption is on, the very next volume should already use the intended key.
    if (wantedKey) {
      const { KmsKeyId: currentKey } = await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}));
      if (!sameKey(currentKey, wantedKey)) {
        await changes.apply(
          {
            action: 'ec2:ModifyEbsDefaultKmsKeyId',
            target,
            description: `default EBS KMS key ${currentKey ?? 'unset'} -> ${wantedKey}`,
            undo: { kind: 'ebs-default-key', before: { KmsKeyId: currentKey ?? null }, after: { KmsKeyId: wantedKey } },
          },
          () => ec2.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: wantedKey })),
        );
      }
    }
    const { EbsEncryptionByDefault } = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));
    if (!EbsEncryptionByDefault) {
      await changes.apply(
        {
          action: 'ec2:EnableEbsEncryptionByDefault',
          target,
          description: 'EBS encryption by default off -> on',
          undo: { kind: 'ebs-encryption-by-default', before: { enabled: false }, after: { enabled: true } },
        },
        () => ec2.send(new EnableEbsEncryptionByDefaultCommand({})),
      );
    }
    const keyNote = wantedKey ? ` with default key ${wantedKey}` : '';
    return changes.result(
      `EBS encryption by default is on in ${target}${keyNote}`,
      `EBS encryption by default already on in ${target}${keyNote}`,
    );
  },
});
