import { mockClient } from 'aws-sdk-client-mock';
import { DeleteLoginProfileCommand, GetLoginProfileCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_disable_unused_console_password';
import { botContext } from '../../support/bot-context';
import { iamError } from './iam-test-support';

const user = { type: 'AWS::IAM::User', id: 'alice' };
const now = new Date('2026-11-23T00:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);
const userWith = (passwordLastUsed?: Date) => ({
  User: {
    UserName: 'alice',
    UserId: 'AIDA1',
    Arn: 'arn:aws:iam::222222222222:user/alice',
    Path: '/',
    CreateDate: daysAgo(500),
    ...(passwordLastUsed ? { PasswordLastUsed: passwordLastUsed } : {}),
  },
});

describe('iam_user_disable_unused_console_password', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('deletes a password last used more than 90 days ago', async () => {
    iam.on(GetUserCommand).resolves(userWith(daysAgo(120)));
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: daysAgo(400) } });

    const result = await bot.run(botContext(bot, { resource: user, now }));

    expect(iam.commandCalls(DeleteLoginProfileCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(result.changes[0]!.description).toBe(
      'console password deleted: last used 2026-07-26 (120 days ago), unused for more than 90 days',
    );
  });

  it('deletes a password never used and set more than N days ago', async () => {
    iam.on(GetUserCommand).resolves(userWith());
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: daysAgo(46) } });
    const result = await bot.run(botContext(bot, { resource: user, now, params: { days: 45 } }));
    expect(result.message).toBe('deleted the console password of IAM user alice: never used, set 2026-10-08 (46 days ago)');
  });

  it('keeps a password in use, and reports it', async () => {
    iam.on(GetUserCommand).resolves(userWith(daysAgo(2)));
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: daysAgo(400) } });
    const result = await bot.run(botContext(bot, { resource: user, now }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'the console password of IAM user alice is in use: last used 2026-11-21 (2 days ago)',
      changes: [],
    });
  });

  it('reports a user without a password as compliant', async () => {
    iam.on(GetUserCommand).resolves(userWith());
    iam.on(GetLoginProfileCommand).rejects(iamError('NoSuchEntityException'));
    const result = await bot.run(botContext(bot, { resource: user, now }));
    expect(result.message).toBe('IAM user alice has no console password');
    expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
  });

  it('in dry run deletes nothing', async () => {
    iam.on(GetUserCommand).resolves(userWith(daysAgo(365)));
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: daysAgo(400) } });
    const result = await bot.run(botContext(bot, { resource: user, now, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(DeleteLoginProfileCommand)).toHaveLength(0);
  });
});
