import { AddUserToGroupCommand, CreateGroupCommand, CreateUserCommand, IAMClient, ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_detach';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_user_detach against moto', () => {
  it('removes the user from the group the event names, keeps its other groups, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'eve' }));
    for (const group of ['admins', 'devs']) {
      await iam.send(new CreateGroupCommand({ GroupName: group }));
      await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: 'eve' }));
    }
    const session = await botSession(bot, 'eve');
    const resource = { type: 'AWS::IAM::User', id: 'eve' };
    const finding = { raw: { eventName: 'AddUserToGroup', requestParameters: { userName: 'eve', groupName: 'admins' } } };

    const first = await bot.run(botContext(bot, { resource, client: session.client, finding }));
    expect(first.status).toBe('remediated');
    const groups = (await iam.send(new ListGroupsForUserCommand({ UserName: 'eve' }))).Groups!;
    expect(groups.map((g) => g.GroupName)).toEqual(['devs']);

    const second = await bot.run(botContext(bot, { resource, client: session.client, finding }));
    expect(second.status).toBe('already-compliant');
  });
});
