import { z } from 'zod';
import { alreadyCompliant, ChangeSet } from '../changes';
import { defineBot } from '../types';
import { assessKey } from './access-key-age';
import { LOGIN_PROFILE_READS, readLoginProfile } from './login-profile';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { sdk } from '../sdk';

const NAME = 'iam_user_disable_unused_console_password';

export default defineBot({
  meta: {
    name: NAME,
    summary: "Delete the user's console password when unused for more than N days (default 90)",
    description:
      'Deletes the login profile when the password was last used more than `days` days ago, or was never used and was set ' +
      'more than `days` days ago (the unused-credentials check of CIS 1.3 and IAM.8; iam_user_deactivate_unused_access_key ' +
      'handles the access keys of the same check). A password in use, or one whose age is unknown, is left alone.',
    resourceTypes: ['AWS::IAM::User'],
    remediates: { securityHub: ['IAM.8', 'CIS.1.3', 'PCI.IAM.7'], config: ['iam-user-unused-credentials-check'] },
    params: z.strictObject({
      days: z.coerce.number().int().min(1).max(3650).default(90).describe('delete passwords unused for more than this many days (1-3650)'),
    }),
    positional: ['days'],
    permissions: [
      {
        actions: [...LOGIN_PROFILE_READS, 'iam:DeleteLoginProfile'],
        resources: USER_RESOURCES,
        reason: 'read when the console password was set and last used, and delete it when unused',
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
    const { days } = ctx.params;
    const { user, profile } = await readLoginProfile(iam, userName);
    if (!profile) return alreadyCompliant(`IAM user ${userName} has no console password`);
    // A password's age reads like a key's: last use, or creation when never used.
    const verdict = assessKey({ createDate: profile.CreateDate, lastUsedDate: user.PasswordLastUsed }, ctx.now(), days);
    const summary = verdict.summary.replace('never used, created', 'never used, set');
    const changes = new ChangeSet(ctx);
    if (verdict.unused) {
      await changes.apply(
        {
          action: 'iam:DeleteLoginProfile',
          undo: { kind: 'console-password-deletion', before: null, after: null },
          target: userArnOf(ctx, userName),
          description: `console password deleted: ${summary}, unused for more than ${days} days`,
        },
        () => iam.send(new DeleteLoginProfileCommand({ UserName: userName })),
      );
    }
    return changes.result(
      `deleted the console password of IAM user ${userName}: ${summary}`,
      `the console password of IAM user ${userName} is in use: ${summary}`,
    );
  },
});
