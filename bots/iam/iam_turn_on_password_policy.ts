import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { settingChanges, settingsOf, stricterPolicy, updateRequestFor, type PasswordPolicySettings } from './password-policy';
import { isNoSuchEntity } from './user';
import { PASSWORD_POLICY_KIND, PASSWORD_POLICY_UNDO, passwordPolicyUndoer } from './iam-undo';
import { sdk } from '../sdk';
import { flagParam } from '../args';

/** CIS AWS Foundations Benchmark values; each one overridable by its IAM API name, as CloudBots does. */
const params = z.strictObject({
  MinimumPasswordLength: z.coerce.number().int().min(6).max(128).default(14).describe('minimum password length (6-128)'),
  RequireSymbols: flagParam.default(true).describe('require at least one symbol'),
  RequireNumbers: flagParam.default(true).describe('require at least one number'),
  RequireUppercaseCharacters: flagParam.default(true).describe('require at least one uppercase letter'),
  RequireLowercaseCharacters: flagParam.default(true).describe('require at least one lowercase letter'),
  AllowUsersToChangePassword: flagParam.default(true).describe('let IAM users change their own password'),
  MaxPasswordAge: z.coerce
    .number()
    .int()
    .min(0)
    .max(1095)
    .default(90)
    .describe('days before a password expires (1-1095); 0 asks for no expiry, which never removes an existing one'),
  PasswordReusePrevention: z.coerce
    .number()
    .int()
    .min(0)
    .max(24)
    .default(24)
    .describe('previous passwords that may not be reused (1-24); 0 asks for none, which never removes an existing one'),
  HardExpiry: flagParam
    .default(false)
    .describe('stop users from setting a new password after theirs expired (an administrator must reset it)'),
});

function askedSettings(p: z.output<typeof params>): PasswordPolicySettings {
  return {
    ...p,
    MaxPasswordAge: p.MaxPasswordAge > 0 ? p.MaxPasswordAge : undefined,
    PasswordReusePrevention: p.PasswordReusePrevention > 0 ? p.PasswordReusePrevention : undefined,
  };
}

export default defineBot({
  meta: {
    name: 'iam_turn_on_password_policy',
    summary: 'Set the account password policy to CIS values (each overridable), never weakening a stricter setting',
    description:
      'Compares the account password policy with the asked one (CIS AWS Foundations defaults: length 14, symbols, numbers, ' +
      'upper and lower case, expiry 90 days, 24 remembered passwords, users may change their password, no hard expiry) and ' +
      'writes, setting by setting, the stricter of the two: a setting an administrator made stricter stays as it is. ' +
      'Already compliant when the current policy is at least as strict everywhere.',
    resourceTypes: ['AWS::::Account'],
    remediates: {
      securityHub: [
        'IAM.7',
        'IAM.10',
        'IAM.11',
        'IAM.12',
        'IAM.13',
        'IAM.14',
        'IAM.15',
        'IAM.16',
        'IAM.17',
        'CIS.1.5',
        'CIS.1.6',
        'CIS.1.7',
        'CIS.1.8',
        'CIS.1.9',
        'CIS.1.10',
        'CIS.1.11',
        'PCI.IAM.8',
      ],
      config: ['iam-password-policy'],
    },
    params,
    // Every setting, as CloudBots rules set them (`AUTO: iam_turn_on_password_policy MinimumPasswordLength:14`); none names a destination.
    overridable: Object.keys(params.shape),
    permissions: [
      {
        actions: ['iam:GetAccountPasswordPolicy', 'iam:UpdateAccountPasswordPolicy'],
        resources: ['*'],
        reason: 'read and set the account password policy (these actions support no resource-level permissions)',
        global: true,
      },
    ],
    undo: { [PASSWORD_POLICY_KIND]: PASSWORD_POLICY_UNDO },
  },
  undoers: { [PASSWORD_POLICY_KIND]: passwordPolicyUndoer },
  async run(ctx) {
    const { IAMClient, GetAccountPasswordPolicyCommand, UpdateAccountPasswordPolicyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    let current: PasswordPolicySettings | undefined;
    try {
      current = settingsOf((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy);
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error; // NoSuchEntity: the account has no password policy yet
    }
    const target = stricterPolicy(current, askedSettings(ctx.params));
    const differences = settingChanges(current, target);
    const changes = new ChangeSet(ctx);
    if (differences.length > 0) {
      const summary = differences.map((d) => `${d.setting} ${d.from} -> ${d.to}`).join(', ');
      await changes.apply(
        {
          action: 'iam:UpdateAccountPasswordPolicy',
          target: ctx.account,
          description: current ? `tighten the account password policy: ${summary}` : `create the account password policy: ${summary}`,
          undo: { kind: PASSWORD_POLICY_KIND, before: current ?? null, after: target },
        },
        () => iam.send(new UpdateAccountPasswordPolicyCommand(updateRequestFor(target))),
      );
    }
    return changes.result(
      `${current ? 'tightened' : 'created'} the password policy of account ${ctx.account}`,
      `the password policy of account ${ctx.account} is already at least as strict as asked`,
    );
  },
});
