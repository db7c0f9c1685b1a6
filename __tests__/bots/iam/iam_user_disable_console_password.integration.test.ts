import { CreateLoginProfileCommand, CreateUserCommand, GetLoginProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_disable_console_password';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_user_disable_console_password against moto', () => {
  it("deletes the user's console password, then reports already-compliant", async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'clicker' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'clicker', Password: 'Correct-Horse-9-Battery' }));
    const session = await botSession(bot, 'clicker');
    const resource = { type: 'AWS::IAM::User', id: 'clicker' };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    await expect(iam.send(new GetLoginProfileCommand({ UserName: 'clicker' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
