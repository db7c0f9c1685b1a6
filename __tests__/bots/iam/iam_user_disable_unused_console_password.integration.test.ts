import { CreateLoginProfileCommand, CreateUserCommand, GetLoginProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_disable_unused_console_password';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_user_disable_unused_console_password against moto', () => {
  it('keeps a new password, deletes it once never used for more than 90 days, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'dormant' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'dormant', Password: 'Correct-Horse-9-Battery' }));
    const session = await botSession(bot, 'dormant');
    const resource = { type: 'AWS::IAM::User', id: 'dormant' };

    expect((await bot.run(botContext(bot, { resource, client: session.client, now: new Date() }))).status).toBe('already-compliant');
    await iam.send(new GetLoginProfileCommand({ UserName: 'dormant' }));

    const later = new Date(Date.now() + 91 * 24 * 60 * 60 * 1000);
    const first = await bot.run(botContext(bot, { resource, client: session.client, now: later }));
    expect(first.status).toBe('remediated');
    await expect(iam.send(new GetLoginProfileCommand({ UserName: 'dormant' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });

    const second = await bot.run(botContext(bot, { resource, client: session.client, now: later }));
    expect(second.status).toBe('already-compliant');
  });
});
