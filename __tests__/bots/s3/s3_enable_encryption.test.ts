import { mockClient } from 'aws-sdk-client-mock';
import {
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  S3Client,
  type GetBucketEncryptionCommandOutput,
  type ServerSideEncryptionByDefault,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_enable_encryption';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const bucket = { type: 'AWS::S3::Bucket', id: 'data-bucket' };
const KEY = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:us-east-1:222222222222:key/99999999-12ab-34cd-56ef-1234567890ab';

function encryption(byDefault: ServerSideEncryptionByDefault, extra: ServerSideEncryptionRule = {}): GetBucketEncryptionCommandOutput {
  return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: byDefault, ...extra }] }, $metadata: {} };
}

describe('s3_enable_encryption', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('sets SSE-S3 by default on a bucket without default encryption', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError'));
    s3.on(PutBucketEncryptionCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketEncryptionCommand)[0]!.args[0].input).toEqual({ Bucket: 'data-bucket' });
    expect(s3.commandCalls(PutBucketEncryptionCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'set default encryption of data-bucket to SSE-S3 (AES256) (was none); existing objects are not re-encrypted',
      changes: [
        {
          action: 's3:PutEncryptionConfiguration',
          target: 'arn:aws:s3:::data-bucket',
          description: 'default encryption none -> SSE-S3 (AES256)',
          applied: true,
          undo: { kind: 'default-encryption', before: [], after: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        },
      ],
    });
  });

  it("switches SSE-S3 to SSE-KMS with the given key and a bucket key, keeping the rule's other settings", async () => {
    s3.on(GetBucketEncryptionCommand).resolves(
      encryption({ SSEAlgorithm: 'AES256' }, { BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } }),
    );

    const result = await bot.run(botContext(bot, { resource: bucket, params: { encryption_type: 'kms', kms_key_arn: KEY } }));

    expect(s3.commandCalls(PutBucketEncryptionCommand)[0]!.args[0].input).toEqual({
      Bucket: 'data-bucket',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
            BucketKeyEnabled: true,
            BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          },
        ],
      },
    });
    expect(result.changes[0]!.description).toBe(`default encryption SSE-S3 (AES256) -> SSE-KMS with key ${KEY} with an S3 Bucket Key`);
  });

  it('replaces the AWS managed key, and honours bucket_key_enabled=false', async () => {
    s3.on(GetBucketEncryptionCommand).resolves(encryption({ SSEAlgorithm: 'aws:kms' }));
    await bot.run(botContext(bot, { resource: bucket, params: { encryption_type: 'kms', kms_key_arn: KEY, bucket_key_enabled: 'false' } }));
    expect(s3.commandCalls(PutBucketEncryptionCommand)[0]!.args[0].input.ServerSideEncryptionConfiguration).toEqual({
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY }, BucketKeyEnabled: false }],
    });
  });

  it('keeps a DSSE-KMS bucket dual-layer when it is given another key', async () => {
    s3.on(GetBucketEncryptionCommand).resolves(encryption({ SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: OTHER_KEY }));
    await bot.run(botContext(bot, { resource: bucket, params: { encryption_type: 'kms', kms_key_arn: KEY } }));
    expect(
      s3.commandCalls(PutBucketEncryptionCommand)[0]!.args[0].input.ServerSideEncryptionConfiguration!.Rules![0]!
        .ApplyServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: KEY });
  });

  it('reports already-compliant when SSE-S3 is asked and set', async () => {
    s3.on(GetBucketEncryptionCommand).resolves(encryption({ SSEAlgorithm: 'AES256' }));
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'data-bucket: default encryption is already SSE-S3 (AES256)',
      changes: [],
    });
    expect(s3.commandCalls(PutBucketEncryptionCommand)).toHaveLength(0);
  });

  it('never downgrades SSE-KMS to the SSE-S3 asked for, and says so', async () => {
    s3.on(GetBucketEncryptionCommand).resolves(encryption({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY }));
    const result = await bot.run(botContext(bot, { resource: bucket, params: { encryption_type: 's3' } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `data-bucket: default encryption is already SSE-KMS with key ${KEY}, stronger than the SSE-S3 asked for; not downgraded`,
      changes: [],
    });
    expect(s3.commandCalls(PutBucketEncryptionCommand)).toHaveLength(0);
  });

  it('reports already-compliant when the asked key is set, also when S3 holds it as a bare key id', async () => {
    s3.on(GetBucketEncryptionCommand).resolves(
      encryption({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: '1234abcd-12ab-34cd-56ef-1234567890ab' }),
    );
    const result = await bot.run(botContext(bot, { resource: bucket, params: { encryption_type: 'kms', kms_key_arn: KEY } }));
    expect(result.status).toBe('already-compliant');
    expect(s3.commandCalls(PutBucketEncryptionCommand)).toHaveLength(0);
  });

  it('refuses a key in another region than the bucket, before any call', async () => {
    const key = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await expect(bot.run(botContext(bot, { resource: bucket, params: { encryption_type: 'kms', kms_key_arn: key } }))).rejects.toThrow(
      `s3_enable_encryption: KMS key ${key} is in eu-west-1, but the bucket is in us-east-1; S3 needs a key in the bucket's region`,
    );
    expect(s3.calls()).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError'));
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 's3:PutEncryptionConfiguration', applied: false })]);
    expect(s3.commandCalls(PutBucketEncryptionCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);

    it('defaults to SSE-S3 with a bucket key for kms', () => {
      expect(parse({})).toEqual({ success: true, data: { encryption_type: 's3', bucket_key_enabled: true } });
    });

    it('fills encryption type and key positionally, as CloudBots does', () => {
      expect(bot.meta.positional).toEqual(['encryption_type', 'kms_key_arn']);
    });

    it('accepts CloudBots forms in any case, and alias ARNs', () => {
      expect(parse({ encryption_type: 'KMS', kms_key_arn: KEY }).data).toMatchObject({ encryption_type: 'kms', kms_key_arn: KEY });
      expect(parse({ encryption_type: 'kms', kms_key_arn: 'arn:aws:kms:us-east-1:222222222222:alias/data' }).success).toBe(true);
      expect(parse({ encryption_type: 'S3' }).data).toMatchObject({ encryption_type: 's3' });
    });

    it('requires a key for kms, and only for kms', () => {
      expect(parse({ encryption_type: 'kms' }).error?.issues[0]).toMatchObject({
        path: ['kms_key_arn'],
        message: expect.stringMatching(/required when encryption_type=kms/),
      });
      expect(parse({ encryption_type: 's3', kms_key_arn: KEY }).error?.issues[0]).toMatchObject({ path: ['kms_key_arn'] });
    });

    it('rejects unknown types, key ids that are not ARNs, and unknown params', () => {
      expect(parse({ encryption_type: 'aes256' }).success).toBe(false);
      expect(parse({ encryption_type: 'kms', kms_key_arn: '1234abcd-12ab-34cd-56ef-1234567890ab' }).success).toBe(false);
      expect(parse({ encryption_type: 'kms', kms_key_arn: 'arn:aws:s3:::bucket' }).success).toBe(false);
      expect(parse({ key: KEY }).success).toBe(false);
    });
  });
});
