/**
 * iam_user_force_password_change against moto, as far as moto 5.2.1 allows.
 *
 * The moto bug: UpdateLoginProfile with PasswordResetRequired and no Password
 * (the bot's exact call, valid on AWS, which then keeps the password and only
 * sets the flag) is stored by moto as `user.password = None`
 * (moto/iam/models.py IAMBackend.update_login_profile assigns the request's
 * Password, absent here), and moto treats a user without a password as one
 * without a login profile: GetLoginProfile then answers NoSuchEntity. So the
 * read-back after the write cannot show PasswordResetRequired = true; the unit
 * tests carry that, with the exact input. The test marked MOTO BUG asserts
 * moto's wrong answer, so it fails the day moto is fixed: then replace its
 * last assertions with the commented AWS ones. moto also ignores
 * CreateLoginProfile's PasswordResetRequired; a profile that already requires a
 * reset is seeded with UpdateLoginProfile and a Password, which moto keeps.
 */
import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  IAMClient,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_force_password_change';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

describeMoto('iam_user_force_password_change against moto', () => {
  const resource = { type: 'AWS::IAM::User', id: 'clicker' };

  async function seed(loginProfile?: { PasswordResetRequired: boolean }): Promise<IAMClient> {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'clicker' }));
    if (loginProfile) {
      const Password = 'Correct-Horse-9-Battery';
      await iam.send(new CreateLoginProfileCommand({ UserName: 'clicker', Password }));
      await iam.send(new UpdateLoginProfileCommand({ UserName: 'clicker', Password, ...loginProfile }));
    }
    return iam;
  }

  it('sends the reset through its own narrowed session; MOTO BUG: moto then drops the login profile instead of flagging it', async () => {
    const iam = await seed({ PasswordResetRequired: false });
    const session = await botSession(bot, 'clicker');

    const result = await bot.run(botContext(bot, { resource, client: session.client }));

    expect(result).toEqual({
      status: 'remediated',
      message: 'IAM user clicker must set a new console password at next sign-in',
      changes: [
        {
          action: 'iam:UpdateLoginProfile',
          target: 'arn:aws:iam::222222222222:user/clicker',
          description: 'password reset required at next sign-in',
          applied: true,
          undo: { kind: 'password-reset-required', before: { passwordResetRequired: false }, after: { passwordResetRequired: true } },
        },
      ],
    });
    // MOTO BUG (moto 5.2.1): the profile is gone. On AWS, and once moto is fixed:
    //   expect((await iam.send(new GetLoginProfileCommand({ UserName: 'clicker' }))).LoginProfile?.PasswordResetRequired).toBe(true);
    //   expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
    await expect(iam.send(new GetLoginProfileCommand({ UserName: 'clicker' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('leaves a login profile that already requires a reset alone', async () => {
    const iam = await seed({ PasswordResetRequired: true });
    const session = await botSession(bot, 'clicker');
    const result = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'IAM user clicker must already set a new password at next sign-in',
      changes: [],
    });
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'clicker' }))).LoginProfile?.PasswordResetRequired).toBe(true);
  });

  it('reports a user without a console password as compliant, and in dry run changes nothing', async () => {
    await seed();
    const session = await botSession(bot, 'clicker');
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).message).toBe(
      'IAM user clicker has no console password to change',
    );
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateLoginProfileCommand({ UserName: 'clicker', Password: 'Correct-Horse-9-Battery' }));
    const dry = await bot.run(botContext(bot, { resource, client: session.client, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect((await iam.send(new GetLoginProfileCommand({ UserName: 'clicker' }))).LoginProfile?.PasswordResetRequired).toBe(false);
  });
});
