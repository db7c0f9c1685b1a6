import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { readUserInlinePolicy, samePolicy, type PolicyDocumentJson } from './inline-policy';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { USER_INLINE_POLICY_KIND, USER_INLINE_POLICY_UNDO, userInlinePolicyUndoer } from './iam-undo';
import { sdk } from '../sdk';

export const QUARANTINE_POLICY_NAME = 'cloudmend-quarantine';

/**
 * An explicit deny beats every allow the user has (managed, group or inline
 * policies), including for sessions the user already holds. This is a deny
 * written into the customer's account, not a permission cloudmend holds.
 */
export const QUARANTINE_POLICY: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'CloudmendQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
};

export default defineBot({
  meta: {
    name: 'iam_quarantine_user',
    summary: 'Attach an explicit deny-all inline policy to the IAM user',
    description:
      `Puts the inline policy \`${QUARANTINE_POLICY_NAME}\` (Deny * on *) on the user, which overrides every permission the user has, ` +
      'for the console, access keys and sessions already issued. Nothing else about the user changes: keys, password and ' +
      `other policies stay as they are. To release the user, delete the \`${QUARANTINE_POLICY_NAME}\` inline policy.`,
    resourceTypes: ['AWS::IAM::User'],
    remediates: {
      guardduty: [
        'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
        'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
        'UnauthorizedAccess:IAMUser/TorIPCaller',
      ],
    },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['iam:ListUserPolicies', 'iam:GetUserPolicy', 'iam:PutUserPolicy'],
        resources: USER_RESOURCES,
        reason: 'check whether the user already carries the quarantine policy, and put it on the user',
        global: true,
      },
    ],
    undo: { [USER_INLINE_POLICY_KIND]: USER_INLINE_POLICY_UNDO },
  },
  undoers: { [USER_INLINE_POLICY_KIND]: userInlinePolicyUndoer },
  async run(ctx) {
    const { IAMClient, PutUserPolicyCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const current = await readUserInlinePolicy(iam, userName, QUARANTINE_POLICY_NAME);
    const changes = new ChangeSet(ctx);
    if (current === undefined || !samePolicy(current, QUARANTINE_POLICY)) {
      await changes.apply(
        {
          action: 'iam:PutUserPolicy',
          target: userArnOf(ctx, userName),
          description:
            current === undefined
              ? `attach inline policy ${QUARANTINE_POLICY_NAME} denying every action on every resource`
              : `replace the altered inline policy ${QUARANTINE_POLICY_NAME} with the deny-all policy`,
          undo: {
            kind: USER_INLINE_POLICY_KIND,
            before: { policyName: QUARANTINE_POLICY_NAME, document: current ?? null },
            after: { policyName: QUARANTINE_POLICY_NAME, document: QUARANTINE_POLICY },
          },
        },
        () =>
          iam.send(
            new PutUserPolicyCommand({
              UserName: userName,
              PolicyName: QUARANTINE_POLICY_NAME,
              PolicyDocument: JSON.stringify(QUARANTINE_POLICY),
            }),
          ),
      );
    }
    return changes.result(
      `quarantined IAM user ${userName}: every action is now denied by the inline policy ${QUARANTINE_POLICY_NAME}`,
      `IAM user ${userName} is already quarantined by the inline policy ${QUARANTINE_POLICY_NAME}`,
    );
  },
});
