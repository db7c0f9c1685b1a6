/**
 * moto 5.2.1's UpdateLoginProfile stores the request's Password even when the
 * request has none, which deletes the login profile
 * (models.IAMBackend.update_login_profile sets user.password = None), so a moto
 * read-back shows the profile gone where AWS only sets PasswordResetRequired.
 * These tests carry the behaviour, with the exact input; the moto test
 * (iam_user_force_password_change.integration.test.ts) covers what moto serves
 * and pins the bug, so it fails once moto is fixed.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { GetLoginProfileCommand, GetUserCommand, IAMClient, UpdateLoginProfileCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_force_password_change';
import { botContext } from '../../support/bot-context';
import { iamError } from './iam-test-support';

const user = { type: 'AWS::IAM::User', id: 'alice' };
const created = new Date('2026-01-01T00:00:00Z');

describe('iam_user_force_password_change', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    iam.reset();
    iam.on(GetUserCommand).resolves({
      User: { UserName: 'alice', UserId: 'AIDA1', Arn: 'arn:aws:iam::222222222222:user/alice', Path: '/', CreateDate: created },
    });
  });
  afterAll(() => iam.restore());

  it('requires a new password at next sign-in, and sets nothing else', async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: created, PasswordResetRequired: false } });

    const result = await bot.run(botContext(bot, { resource: user }));

    expect(iam.commandCalls(UpdateLoginProfileCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', PasswordResetRequired: true },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('IAM user alice must set a new console password at next sign-in');
  });

  it('reports already-compliant when a reset is already required, or there is no password', async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: created, PasswordResetRequired: true } });
    expect((await bot.run(botContext(bot, { resource: user }))).message).toBe(
      'IAM user alice must already set a new password at next sign-in',
    );
    iam.on(GetLoginProfileCommand).rejects(iamError('NoSuchEntityException'));
    expect(await bot.run(botContext(bot, { resource: user }))).toEqual({
      status: 'already-compliant',
      message: 'IAM user alice has no console password to change',
      changes: [],
    });
    expect(iam.commandCalls(UpdateLoginProfileCommand)).toHaveLength(0);
  });

  it('in dry run changes nothing', async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: created } });
    const result = await bot.run(botContext(bot, { resource: user, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(UpdateLoginProfileCommand)).toHaveLength(0);
  });
});
