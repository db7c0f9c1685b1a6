import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { POLICY_ARN, resolvePolicyArn } from './managed-policy-arn';
import { USER_RESOURCES, userArnOf, userNameOf } from './user';
import { USER_MANAGED_POLICY_KIND, USER_MANAGED_POLICY_UNDO, userManagedPolicyUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_user_attach_policy';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Attach a managed policy (param) to the IAM user',
    description:
      'Attaches the managed policy `policy_arn` to the user unless it is attached already; nothing else changes. Meant for a ' +
      'restricting policy (AWSDenyAll, a deny-by-condition policy of your own): the ARN is set in the config, never by a ' +
      'finding. `$ACCOUNT_ID` in the ARN stands for the finding’s account.',
    resourceTypes: ['AWS::IAM::User'],
    params: z.strictObject({ policy_arn: POLICY_ARN.describe('the managed policy to attach ($ACCOUNT_ID allowed)') }),
    positional: ['policy_arn'],
    permissions: [
      {
        actions: ['iam:ListAttachedUserPolicies', 'iam:AttachUserPolicy'],
        resources: USER_RESOURCES,
        reason: "read the user's attached policies, and attach the configured one",
        global: true,
      },
    ],
    undo: { [USER_MANAGED_POLICY_KIND]: USER_MANAGED_POLICY_UNDO },
  },
  undoers: { [USER_MANAGED_POLICY_KIND]: userManagedPolicyUndoer },
  async run(ctx) {
    const { IAMClient, AttachUserPolicyCommand, ListAttachedUserPoliciesCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const userName = userNameOf(ctx);
    const policyArn = resolvePolicyArn(ctx.params.policy_arn, ctx.account);
    let attached = false;
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }));
      attached = (page.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (!attached && marker);
    const changes = new ChangeSet(ctx);
    if (!attached) {
      await changes.apply(
        {
          action: 'iam:AttachUserPolicy',
          target: userArnOf(ctx, userName),
          description: `attach ${policyArn}`,
          undo: { kind: USER_MANAGED_POLICY_KIND, before: { policyArn, attached: false }, after: { policyArn, attached: true } },
        },
        () => iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn })),
      );
    }
    return changes.result(`attached ${policyArn} to IAM user ${userName}`, `${policyArn} is already attached to IAM user ${userName}`);
  },
});
