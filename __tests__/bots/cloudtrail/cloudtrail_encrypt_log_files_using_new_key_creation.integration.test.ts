import { CloudTrailClient, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import bot from '../../../bots/cloudtrail/cloudtrail_encrypt_log_files_using_new_key_creation';
import { cloudTrailKeyPolicy } from '../../../bots/cloudtrail/cloudtrail-key';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, MEMBER, memberAdmin, seedTrail } from './cloudtrail-test-support';

describeMoto('cloudtrail_encrypt_log_files_using_new_key_creation against moto', () => {
  it('creates the CloudTrail key once, encrypts the trail with it, and reuses it for a second trail', async () => {
    const admin = await memberAdmin();
    await seedTrail(admin, 'audit');
    await seedTrail(admin, 'app-events');
    const kms = admin.client(KMSClient);

    const session = await botSession(bot, 'audit');
    const resource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const key = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/cloudmend-cloudtrail' }))).KeyMetadata!;
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId!, PolicyName: 'default' }))).Policy!)).toEqual(
      cloudTrailKeyPolicy('aws', MEMBER),
    );
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId! }))).KeyRotationEnabled).toBe(true);
    const cloudtrail = admin.client(CloudTrailClient);
    expect((await cloudtrail.send(new GetTrailCommand({ Name: 'audit' }))).Trail!.KmsKeyId).toBe(key.Arn);

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');

    const other = await botSession(bot, 'app-events');
    const reused = await bot.run(botContext(bot, { resource: { type: 'AWS::CloudTrail::Trail', id: 'app-events' }, client: other.client }));
    expect(reused.changes.map((c) => c.action)).toEqual(['cloudtrail:UpdateTrail']);
    expect((await cloudtrail.send(new GetTrailCommand({ Name: 'app-events' }))).Trail!.KmsKeyId).toBe(key.Arn);
  });
});
