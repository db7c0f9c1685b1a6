import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { POLICY_ARN, resolvePolicyArn } from './managed-policy-arn';
import { ROLE_RESOURCES, roleArnOf, roleNameOf } from './role';
import { ROLE_MANAGED_POLICY_KIND, ROLE_MANAGED_POLICY_UNDO, roleManagedPolicyUndoer } from './iam-undo';
import { sdk } from '../sdk';

const NAME = 'iam_role_attach_policy';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Attach a managed policy (param) to the IAM role',
    description:
      'Attaches the managed policy `policy_arn` to the role unless it is attached already; nothing else changes. Meant for a ' +
      'restricting policy (AWSDenyAll, a deny-by-condition policy of your own): the ARN is set in the config, never by a ' +
      'finding. `$ACCOUNT_ID` in the ARN stands for the finding’s account.',
    resourceTypes: ['AWS::IAM::Role'],
    params: z.strictObject({ policy_arn: POLICY_ARN.describe('the managed policy to attach ($ACCOUNT_ID allowed)') }),
    positional: ['policy_arn'],
    permissions: [
      {
        actions: ['iam:ListAttachedRolePolicies', 'iam:AttachRolePolicy'],
        resources: ROLE_RESOURCES,
        reason: "read the role's attached policies, and attach the configured one",
        global: true,
      },
    ],
    undo: { [ROLE_MANAGED_POLICY_KIND]: ROLE_MANAGED_POLICY_UNDO },
  },
  undoers: { [ROLE_MANAGED_POLICY_KIND]: roleManagedPolicyUndoer },
  async run(ctx) {
    const { IAMClient, AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } = await sdk.iam();
    const iam = ctx.client(IAMClient);
    const roleName = roleNameOf(ctx);
    const policyArn = resolvePolicyArn(ctx.params.policy_arn, ctx.account);
    let attached = false;
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }));
      attached = (page.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (!attached && marker);
    const changes = new ChangeSet(ctx);
    if (!attached) {
      await changes.apply(
        {
          action: 'iam:AttachRolePolicy',
          target: roleArnOf(ctx, roleName),
          description: `attach ${policyArn}`,
          undo: { kind: ROLE_MANAGED_POLICY_KIND, before: { policyArn, attached: false }, after: { policyArn, attached: true } },
        },
        () => iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
      );
    }
    return changes.result(`attached ${policyArn} to IAM role ${roleName}`, `${policyArn} is already attached to IAM role ${roleName}`);
  },
});
