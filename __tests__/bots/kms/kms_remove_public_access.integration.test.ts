import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import bot from '../../../bots/kms/kms_remove_public_access';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

const account = '222222222222';
const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' };
const anyone = { Sid: 'Anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' };

describeMoto('kms_remove_public_access against moto', () => {
  it('removes the statement open to anyone, keeps the account statement, then reports already-compliant', async () => {
    const kms = (await memberSession(account)).client(KMSClient);
    const policy = { Version: '2012-10-17', Statement: [root, anyone] };
    const keyId = (await kms.send(new CreateKeyCommand({ Policy: JSON.stringify(policy) }))).KeyMetadata!.KeyId!;
    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: keyId }),
    );
    const resource = { type: 'AWS::KMS::Key', id: keyId };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    const stored = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!);
    expect(stored.Statement).toEqual([root]);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
