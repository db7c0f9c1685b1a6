import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_deactivate_old_access_keys';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_user_deactivate_old_access_keys against moto', () => {
  it('deactivates a key once it is older than the limit, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'builder' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'builder' }))).AccessKey!;
    const session = await botSession(bot, 'builder');
    const resource = { type: 'AWS::IAM::User', id: 'builder' };

    // Today the key is new: nothing to do.
    const fresh = await bot.run(botContext(bot, { resource, client: session.client, now: new Date() }));
    expect(fresh.status).toBe('already-compliant');

    const later = new Date(key.CreateDate!.getTime() + 91 * 24 * 60 * 60 * 1000);
    const first = await bot.run(botContext(bot, { resource, client: session.client, now: later }));
    expect(first.status).toBe('remediated');
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'builder' }))).AccessKeyMetadata!;
    expect(keys.map((k) => k.Status)).toEqual(['Inactive']);

    const second = await bot.run(botContext(bot, { resource, client: session.client, now: later }));
    expect(second.status).toBe('already-compliant');
  });
});
