import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { readUserInlinePolicy, samePolicy, type PolicyDocumentJson } from './inline-policy';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { USER_INLINE_POLICY_KIND, USER_INLINE_POLICY_UNDO, userInlinePolicyUndoer } from './iam-undo';
import { sdk } from '../sdk';

export const ENFORCE_MFA_POLICY_NAME = 'cloudmend-enforce-mfa';

/**
 * AWS's "manage your own MFA device" deny statement: without MFA in the request,
 * everything is denied but what a user needs to enrol a device (and to change a
 * password they must change at first sign-in). Deny only: it grants nothing, so
 * the user still needs their existing permissions to enrol.
 */
export const ENFORCE_MFA_POLICY: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CloudmendDenyAllButMfaSetupWithoutMfa',
      Effect: 'Deny',
      NotAction: [
        'iam:ChangePassword',
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:GetAccountPasswordPolicy',
        'iam:GetMFADevice',
        'iam:GetUser',
        'iam:ListMFADevices',
        'iam:ListVirtualMFADevices',
        'iam:ResyncMFADevice',
        'sts:GetSessionToken',
      ],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
};

export default defineBot({
  meta: {
    name: 'iam_user_enforce_mfa',
    summary: 'While the IAM user has no MFA device, deny everything but MFA self-management',
    description:
      `When the user has no MFA device, puts the inline policy \`${ENFORCE_MFA_POLICY_NAME}\`: a deny of every action except ` +
      'enrolling and using an MFA device (and changing the password) for requests made without MFA. It grants nothing. ' +
      `Once the user has an MFA device, the bot removes \`${ENFORCE_MFA_POLICY_NAME}\` if it is still attached: left in place it ` +
      'would also deny every call made with long-term access keys, which is more than this bot was asked to enforce.',
    resourceTypes: ['AWS::IAM::User'],
    remediates: {
      securityHub: ['IAM.5', 'IAM.19', 'CIS.1.2', 'PCI.IAM.6'],
      config: ['mfa-enabled-for-iam-console-access', 'iam-user-mfa-enabled'],
    },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['iam:ListMFADevices', 'iam:ListUserPolicies', 'iam:GetUserPolicy'],
        resources: USER_RESOURCES,
        reason: "read the user's MFA devices and whether the enforce-MFA policy is attached",
        global: true,
      },
      {
        actions: ['iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
        resources: USER_RESOURCES,
        reason: 'attach the enforce-MFA policy while the user has no MFA device; remove it once the user has one',
        global: true,
      },
    ],
    undo: { [USER_INLINE_POLICY_KIND]: USER_INLINE_POLICY_UNDO },
  },
  undoers: { [USER_INLINE_POLICY_KIND]: userInlinePolicyUndoer },
  async run(ctx) {
    const { IAMClient, ListMFADevicesCommand, PutUserPolicyCommand, DeleteUserPolicyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const target = userArnOf(ctx, userName);
    const { MFADevices = [] } = await iam.send(new ListMFADevicesCommand({ UserName: userName }));
    const current = await readUserInlinePolicy(iam, userName, ENFORCE_MFA_POLICY_NAME);
    const changes = new ChangeSet(ctx);

    if (MFADevices.length > 0) {
      const devices = MFADevices.map((d) => d.SerialNumber).join(', ');
      if (current === undefined) return changes.result('', `IAM user ${userName} has an MFA device (${devices})`);
      await changes.apply(
        {
          action: 'iam:DeleteUserPolicy',
          target,
          description: `remove inline policy ${ENFORCE_MFA_POLICY_NAME}: the user now has an MFA device (${devices})`,
          undo: {
            kind: USER_INLINE_POLICY_KIND,
            before: { policyName: ENFORCE_MFA_POLICY_NAME, document: current },
            after: { policyName: ENFORCE_MFA_POLICY_NAME, document: null },
          },
        },
        () => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: ENFORCE_MFA_POLICY_NAME })),
      );
      return changes.result(`IAM user ${userName} has an MFA device (${devices}); removed ${ENFORCE_MFA_POLICY_NAME}, no longer needed`);
    }

    if (current === undefined || !samePolicy(current, ENFORCE_MFA_POLICY)) {
      await changes.apply(
        {
          action: 'iam:PutUserPolicy',
          target,
          description:
            current === undefined
              ? `attach inline policy ${ENFORCE_MFA_POLICY_NAME} denying all but MFA self-management until the user signs in with MFA`
              : `replace the altered inline policy ${ENFORCE_MFA_POLICY_NAME} with the enforce-MFA policy`,
          undo: {
            kind: USER_INLINE_POLICY_KIND,
            before: { policyName: ENFORCE_MFA_POLICY_NAME, document: current ?? null },
            after: { policyName: ENFORCE_MFA_POLICY_NAME, document: ENFORCE_MFA_POLICY },
          },
        },
        () =>
          iam.send(
            new PutUserPolicyCommand({
              UserName: userName,
              PolicyName: ENFORCE_MFA_POLICY_NAME,
              PolicyDocument: JSON.stringify(ENFORCE_MFA_POLICY),
            }),
          ),
      );
    }
    return changes.result(
      `IAM user ${userName} has no MFA device: everything but MFA self-management is denied until they use one`,
      `IAM user ${userName} has no MFA device and already carries ${ENFORCE_MFA_POLICY_NAME}`,
    );
  },
});
