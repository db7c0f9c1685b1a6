import { CreateBucketCommand, GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import bot from '../../../bots/s3/s3_enable_encryption';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';

describeMoto('s3_enable_encryption against moto', () => {
  it('sets SSE-KMS with a member key, then reports already-compliant, and never downgrades it for an SSE-S3 request', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-data' }));
    const key = await admin.client(KMSClient).send(new CreateKeyCommand({ Description: 'bucket key' }));
    const keyArn = key.KeyMetadata!.Arn!;

    const session = await botSession(bot, 'member-data');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-data' };
    const params = { encryption_type: 'kms', kms_key_arn: keyArn };
    const first = await bot.run(botContext(bot, { resource, params, client: session.client }));
    expect(first.status).toBe('remediated');

    const after = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'member-data' }));
    expect(after.ServerSideEncryptionConfiguration!.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true },
    ]);

    expect((await bot.run(botContext(bot, { resource, params, client: session.client }))).status).toBe('already-compliant');
    const s3Asked = await bot.run(botContext(bot, { resource, params: { encryption_type: 's3' }, client: session.client }));
    expect(s3Asked.status).toBe('already-compliant');
  });

  it('sets SSE-S3 on a member bucket without default encryption', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-plain' }));

    const session = await botSession(bot, 'member-plain');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-plain' };
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');

    const after = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'member-plain' }));
    expect(after.ServerSideEncryptionConfiguration!.Rules![0]!.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });
});
