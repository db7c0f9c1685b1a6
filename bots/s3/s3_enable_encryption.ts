import { z } from 'zod';
import type { S3Client, ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import { ChangeSet, alreadyCompliant } from '../changes';
import { bucketOfTarget } from './public-access-block';
import { defineBot, type BotContext } from '../types';
import { bucketArn, bucketName, isS3Error } from './bucket';
import { KMS_KEY_ARN, decideEncryption, type WantedEncryption } from './default-encryption';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const NAME = 's3_enable_encryption';

const params = z
  .strictObject({
    encryption_type: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['s3', 'kms']))
      .default('s3')
      .describe('s3: SSE-S3 (AES256, S3-managed keys); kms: SSE-KMS with the customer managed key in kms_key_arn'),
    kms_key_arn: z
      .string()
      .trim()
      .regex(
        KMS_KEY_ARN,
        'must be a KMS key or alias ARN, e.g. arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      )
      .optional()
      .describe(
        "Key or alias ARN for encryption_type=kms, in the bucket's region. Writers to the bucket need kms:GenerateDataKey on it, readers kms:Decrypt",
      ),
    bucket_key_enabled: flagParam
      .default(true)
      .describe(
        'With kms: use an S3 Bucket Key, cutting KMS requests and cost; KMS then sees the bucket, not each object, as encryption context',
      ),
  })
  .superRefine((value, issues) => {
    if (value.encryption_type === 'kms' && !value.kms_key_arn) {
      issues.addIssue({
        code: 'custom',
        path: ['kms_key_arn'],
        message: 'kms_key_arn is required when encryption_type=kms, e.g. AUTO: s3_enable_encryption kms arn:aws:kms:...',
      });
    }
    if (value.encryption_type === 's3' && value.kms_key_arn) {
      issues.addIssue({
        code: 'custom',
        path: ['kms_key_arn'],
        message: 'kms_key_arn is only used with encryption_type=kms; use kms or remove the key',
      });
    }
  });

function wantedFrom(ctx: BotContext<z.output<typeof params>>): WantedEncryption {
  const { encryption_type: type, kms_key_arn: key } = ctx.params;
  if (type === 's3' || !key) return { type: 's3' };
  // S3 only uses keys in the bucket's own region; a key elsewhere would fail every later write to the bucket.
  const keyRegion = KMS_KEY_ARN.exec(key)?.[2];
  if (keyRegion !== ctx.region) {
    throw new Error(
      `${NAME}: KMS key ${key} is in ${keyRegion}, but the bucket is in ${ctx.region}; S3 needs a key in the bucket's region`,
    );
  }
  return { type: 'kms', key };
}

async function readDefaultEncryptionRules(s3: S3Client, bucket: string): Promise<ServerSideEncryptionRule[]> {
  const { GetBucketEncryptionCommand } = await sdk.s3();
  try {
    const output = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    return output.ServerSideEncryptionConfiguration?.Rules ?? [];
  } catch (error) {
    if (isS3Error(error, 'ServerSideEncryptionConfigurationNotFoundError')) return [];
    throw error;
  }
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Set default encryption of the bucket to SSE-S3 (AES256) or SSE-KMS with a given key',
    description:
      'Reads the bucket default encryption and sets it to what was asked: SSE-S3 (AES256), or SSE-KMS with kms_key_arn ' +
      '(optionally with an S3 Bucket Key). A bucket already using SSE-KMS or DSSE-KMS counts as compliant when SSE-S3 is ' +
      'asked: encryption is never downgraded; a DSSE-KMS bucket given another key stays DSSE-KMS. Other settings of the ' +
      'encryption rule (such as blocked encryption types) are kept. Only new objects are affected: existing objects keep ' +
      'their encryption. With SSE-KMS, every writer needs kms:GenerateDataKey and every reader kms:Decrypt on the key, ' +
      'or their requests fail; grant them before switching a bucket in use.',
    resourceTypes: ['AWS::S3::Bucket'],
    remediates: { securityHub: ['S3.4', 'PCI.S3.4'], config: ['s3-bucket-server-side-encryption-enabled'] },
    params,
    positional: ['encryption_type', 'kms_key_arn'],
    overridable: ['encryption_type', 'bucket_key_enabled'],
    sensitiveParams: { kms_key_arn: 'key' },
    permissions: [
      {
        actions: ['s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'],
        resources: ['arn:{partition}:s3:::{resourceId}'],
        reason: 'read and set the default encryption of the bucket',
      },
    ],
    undo: {
      'default-encryption': {
        reversible: true,
        how: 'puts back the default encryption rules as they were (removes them if there were none); objects written meanwhile keep their encryption',
        permissions: [
          {
            // DeleteBucketEncryption is authorized as s3:PutEncryptionConfiguration.
            actions: ['s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'],
            resources: ['arn:{partition}:s3:::{resourceId}'],
            reason: 'undo: read and put back the default encryption of the bucket',
          },
        ],
      },
    },
  },
  undoers: {
    'default-encryption': {
      async read(ctx) {
        const { S3Client } = await sdk.s3();
        return readDefaultEncryptionRules(ctx.client(S3Client), bucketOfTarget(ctx.target));
      },
      async write(ctx, state) {
        const { S3Client, PutBucketEncryptionCommand, DeleteBucketEncryptionCommand } = await sdk.s3();
        const s3 = ctx.client(S3Client);
        const Bucket = bucketOfTarget(ctx.target);
        const Rules = state as ServerSideEncryptionRule[];
        if (Rules.length === 0) await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
        else await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules } }));
      },
    },
  },
  async run(ctx) {
    const { S3Client, PutBucketEncryptionCommand } = await sdk.s3();
    const s3 = ctx.client(S3Client);
    const bucket = bucketName(ctx.finding.resource.id, NAME);
    const wanted = wantedFrom(ctx);

    const [rule, ...otherRules] = await readDefaultEncryptionRules(s3, bucket);
    const decision = decideEncryption(rule?.ApplyServerSideEncryptionByDefault, wanted);
    if (decision.compliant) return alreadyCompliant(`${bucket}: ${decision.reason}`);

    const bucketKey = wanted.type === 'kms' ? ctx.params.bucket_key_enabled : undefined;
    const newRule: ServerSideEncryptionRule = {
      ...rule,
      ApplyServerSideEncryptionByDefault: decision.to,
      ...(bucketKey !== undefined ? { BucketKeyEnabled: bucketKey } : {}),
    };
    const toText = `${decision.toText}${bucketKey ? ' with an S3 Bucket Key' : ''}`;
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 's3:PutEncryptionConfiguration',
        target: bucketArn(ctx.partition, bucket),
        description: `default encryption ${decision.from} -> ${toText}`,
        undo: { kind: 'default-encryption', before: rule ? [rule, ...otherRules] : [], after: [newRule, ...otherRules] },
      },
      () =>
        s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [newRule, ...otherRules] } })),
    );
    return changes.result(`set default encryption of ${bucket} to ${toText} (was ${decision.from}); existing objects are not re-encrypted`);
  },
});
