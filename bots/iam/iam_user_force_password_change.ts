import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { LOGIN_PROFILE_READS, readLoginProfile } from './login-profile';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { PASSWORD_RESET_KIND, PASSWORD_RESET_UNDO, passwordResetUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_user_force_password_change';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Require the user to set a new console password at next sign-in',
    description:
      "Sets PasswordResetRequired on the user's login profile. The current password still signs in once, then must be " +
      'changed. A user without a console password has nothing to change. The user needs iam:ChangePassword on itself ' +
      '(the account password policy can grant it) to pick the new one.',
    resourceTypes: ['AWS::IAM::User'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: [...LOGIN_PROFILE_READS, 'iam:UpdateLoginProfile'],
        resources: USER_RESOURCES,
        reason: "read the user's login profile and require a password reset on it",
        global: true,
      },
    ],
    undo: { [PASSWORD_RESET_KIND]: PASSWORD_RESET_UNDO },
  },
  undoers: { [PASSWORD_RESET_KIND]: passwordResetUndoer },
  async run(ctx) {
    const { IAMClient, UpdateLoginProfileCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const { profile } = await readLoginProfile(iam, userName);
    const changes = new ChangeSet(ctx);
    if (profile && profile.PasswordResetRequired !== true) {
      await changes.apply(
        {
          action: 'iam:UpdateLoginProfile',
          target: userArnOf(ctx, userName),
          description: 'password reset required at next sign-in',
          undo: { kind: PASSWORD_RESET_KIND, before: { passwordResetRequired: false }, after: { passwordResetRequired: true } },
        },
        () => iam.send(new UpdateLoginProfileCommand({ UserName: userName, PasswordResetRequired: true })),
      );
    }
    return changes.result(
      `IAM user ${userName} must set a new console password at next sign-in`,
      profile
        ? `IAM user ${userName} must already set a new password at next sign-in`
        : `IAM user ${userName} has no console password to change`,
    );
  },
});
