import { GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ebs_enable_encryption_by_default';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { MEMBER, adminEc2, botSession } from './moto-seed';

const account = { type: 'AWS::::Account', id: '222222222222' };

// moto 5.2.1 does not implement GetEbsDefaultKmsKeyId, so the kms_key_id path is covered by the unit tests only.
describeMoto('ebs_enable_encryption_by_default against moto', () => {
  it('turns encryption by default on in a member account, then reports already-compliant', async () => {
    const admin = await adminEc2();
    expect((await admin.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    const session = await botSession(bot, MEMBER);

    const first = await bot.run(botContext(bot, { resource: account, client: session.client }));
    expect(first.status).toBe('remediated');
    expect((await admin.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);

    const second = await bot.run(botContext(bot, { resource: account, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
