import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_revoke_access_key';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_revoke_access_key against moto', () => {
  it('deactivates the key the GuardDuty finding names and no other, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'leaky' }));
    const leaked = (await iam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }))).AccessKey!.AccessKeyId!;
    const other = (await iam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }))).AccessKey!.AccessKeyId!;
    const session = await botSession(bot, 'leaky');
    const resource = { type: 'AWS::IAM::User', id: 'leaky', raw: { accessKeyId: leaked, userName: 'leaky' } };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'leaky' }))).AccessKeyMetadata!;
    expect(Object.fromEntries(keys.map((k) => [k.AccessKeyId, k.Status]))).toEqual({ [leaked]: 'Inactive', [other]: 'Active' });

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
