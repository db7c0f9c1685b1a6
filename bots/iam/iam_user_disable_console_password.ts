import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { LOGIN_PROFILE_READS, readLoginProfile } from './login-profile';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { sdk } from '../sdk';

const NAME = 'iam_user_disable_console_password';

export default defineBot({
  meta: {
    name: NAME,
    summary: "Delete the user's console password (login profile)",
    description:
      'Deletes the login profile, so the user can no longer sign in to the console; access keys, MFA devices and policies are ' +
      'left as they are. The password cannot be recovered: an administrator sets a new one to give console access back.',
    resourceTypes: ['AWS::IAM::User'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: [...LOGIN_PROFILE_READS, 'iam:DeleteLoginProfile'],
        resources: USER_RESOURCES,
        reason: 'read the user and whether it has a console password, and delete it',
        global: true,
      },
    ],
    undo: {
      'console-password-deletion': {
        reversible: false,
        why: 'the deleted console password is not known to anyone any more; create a new login profile for the user if console access is needed',
      },
    },
  },
  async run(ctx) {
    const { IAMClient, DeleteLoginProfileCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const { profile } = await readLoginProfile(iam, userName);
    const changes = new ChangeSet(ctx);
    if (profile) {
      await changes.apply(
        {
          action: 'iam:DeleteLoginProfile',
          undo: { kind: 'console-password-deletion', before: null, after: null },
          target: userArnOf(ctx, userName),
          description: 'console password (login profile) deleted',
        },
        () => iam.send(new DeleteLoginProfileCommand({ UserName: userName })),
      );
    }
    return changes.result(
      `IAM user ${userName} can no longer sign in to the console: its password is deleted`,
      `IAM user ${userName} has no console password`,
    );
  },
});
