import { CloudTrailClient, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import bot from '../../../bots/cloudtrail/cloudtrail_encrypt_log_files_using_existing_key';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin, seedTrail } from './cloudtrail-test-support';

describeMoto('cloudtrail_encrypt_log_files_using_existing_key against moto', () => {
  it('encrypts an unencrypted trail with the given key, then reports already-compliant', async () => {
    const admin = await memberAdmin();
    await seedTrail(admin, 'audit');
    const key = (await admin.client(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const session = await botSession(bot, 'audit');
    const resource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };

    const first = await bot.run(botContext(bot, { resource, client: session.client, params: { kms_key_arn: key } }));
    expect(first.status).toBe('remediated');
    const trail = (await admin.client(CloudTrailClient).send(new GetTrailCommand({ Name: 'audit' }))).Trail!;
    expect(trail.KmsKeyId).toBe(key);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params: { kms_key_arn: key } }));
    expect(second.status).toBe('already-compliant');
  });
});
