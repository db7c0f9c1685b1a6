import { mockClient } from 'aws-sdk-client-mock';
import { DeleteLoginProfileCommand, GetLoginProfileCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_disable_console_password';
import { botContext } from '../../support/bot-context';
import { iamError } from './iam-test-support';

const user = { type: 'AWS::IAM::User', id: 'alice' };
const created = new Date('2026-01-01T00:00:00Z');

describe('iam_user_disable_console_password', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    iam.reset();
    iam.on(GetUserCommand).resolves({
      User: { UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:aws:iam::222222222222:user/alice', Path: '/', CreateDate: created },
    });
  });
  afterAll(() => iam.restore());

  it("deletes the user's login profile", async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: created } });

    const result = await bot.run(botContext(bot, { resource: user }));

    expect(iam.commandCalls(GetUserCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(GetLoginProfileCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(DeleteLoginProfileCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(result).toEqual({
      status: 'remediated',
      message: 'IAM user alice can no longer sign in to the console: its password is deleted',
      changes: [
        {
          action: 'iam:DeleteLoginProfile',
          target: 'arn:aws:iam::222222222222:user/alice',
          description: 'console password (login profile) deleted',
          applied: true,
          undo: { kind: 'console-password-deletion', before: null, after: null },
        },
      ],
    });
  });

  it('reports a user without a console password as compliant', async () => {
    iam.on(GetLoginProfileCommand).rejects(iamError('NoSuchEntityException'));
    const result = await bot.run(botContext(bot, { resource: user }));
    expect(result).toEqual({ status: 'already-compliant', message: 'IAM user alice has no console password', changes: [] });
  });

  it('fails on a user that does not exist instead of calling it compliant', async () => {
    iam.on(GetUserCommand).rejects(iamError('NoSuchEntityException'));
    await expect(bot.run(botContext(bot, { resource: user }))).rejects.toThrow('NoSuchEntityException (test)');
    expect(iam.commandCalls(GetLoginProfileCommand)).toHaveLength(0);
  });

  it('in dry run deletes nothing', async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: created } });
    const result = await bot.run(botContext(bot, { resource: user, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
  });
});
