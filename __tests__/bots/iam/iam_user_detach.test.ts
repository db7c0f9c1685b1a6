import { mockClient } from 'aws-sdk-client-mock';
import { IAMClient, ListGroupsForUserCommand, RemoveUserFromGroupCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_detach';
import { botContext } from '../../support/bot-context';

const user = { type: 'AWS::IAM::User', id: 'alice' };
const group = (name: string) => ({
  GroupName: name,
  GroupId: `AGPA${name}`,
  Arn: `arn:aws:iam::222222222222:group/${name}`,
  Path: '/',
  CreateDate: new Date(),
});

describe('iam_user_detach', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('removes the user from the group the CloudTrail event added it to', async () => {
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [group('devs'), group('admins')] });
    const finding = { raw: { eventName: 'AddUserToGroup', requestParameters: { userName: 'alice', groupName: 'admins' } } };

    const result = await bot.run(botContext(bot, { resource: user, finding }));

    expect(iam.commandCalls(ListGroupsForUserCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(RemoveUserFromGroupCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice', GroupName: 'admins' }]);
    expect(result.message).toBe('removed IAM user alice from group admins');
  });

  it('removes with credentials narrowed to the one group read (no other group of the account)', async () => {
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [group('admins')] });
    const narrowed: unknown[] = [];
    await bot.run(botContext(bot, { resource: user, params: { group: 'admins' }, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([{ groupName: ['admins'] }]);
    narrowed.length = 0;
    await bot.run(botContext(bot, { resource: user, params: { group: 'admins' }, dryRun: true, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([]);
  });

  it('takes the group param over the event', async () => {
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [group('devs')] });
    const finding = { raw: { requestParameters: { groupName: 'admins' } } };
    await bot.run(botContext(bot, { resource: user, finding, params: { group: 'devs' } }));
    expect(iam.commandCalls(RemoveUserFromGroupCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', GroupName: 'devs' });
  });

  it('reports a user not in the group as compliant', async () => {
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [group('devs')] });
    const result = await bot.run(botContext(bot, { resource: user, params: { group: 'admins' } }));
    expect(result).toEqual({ status: 'already-compliant', message: 'IAM user alice is not in group admins', changes: [] });
  });

  it('fails, naming the param, when no group is known', async () => {
    await expect(bot.run(botContext(bot, { resource: user }))).rejects.toThrow(
      'iam_user_detach: the finding names no group; pass group=<group name>',
    );
  });

  it('in dry run removes nothing', async () => {
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [group('admins')] });
    const result = await bot.run(botContext(bot, { resource: user, params: { group: 'admins' }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(RemoveUserFromGroupCommand)).toHaveLength(0);
  });
});
