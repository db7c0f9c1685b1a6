import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_delete_access_key';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_delete_access_key against moto', () => {
  it('deletes the named key and keeps the other, then reports it already deleted', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'leaky', Path: '/ci/' }));
    const leaked = (await iam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }))).AccessKey!.AccessKeyId!;
    const other = (await iam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }))).AccessKey!.AccessKeyId!;
    const session = await botSession(bot, 'leaky');
    const resource = { type: 'AWS::IAM::User', id: 'leaky' };
    const params = { access_key_id: leaked };

    expect((await bot.run(botContext(bot, { resource, client: session.client, params, dryRun: true }))).status).toBe('dry-run');
    expect((await iam.send(new ListAccessKeysCommand({ UserName: 'leaky' }))).AccessKeyMetadata).toHaveLength(2);

    const first = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(first.status).toBe('remediated');
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'leaky' }))).AccessKeyMetadata!;
    expect(keys.map((k) => k.AccessKeyId)).toEqual([other]);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(second.status).toBe('already-compliant');
  });
});
