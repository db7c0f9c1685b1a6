import { z } from 'zod';
import type { IAMClient } from '@aws-sdk/client-iam';
import { ChangeSet, skipped } from '../changes';
import { POLICY_ARN, resolvePolicyArn } from '../iam/managed-policy-arn';
import { defineBot, recordedAfter, type UndoContext } from '../types';
import {
  DERIVED_ROLE_RESOURCES,
  DESCRIBE_ASSOCIATIONS,
  PROFILE_RESOURCES,
  associationOf,
  profileNameOfArn,
  roleOfProfile,
} from './instance-profile';
import { DESCRIBE_INSTANCE_STATE, describeInstance, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

const KIND = 'role-policy';

/** Whether the configured policy is attached to the role: what the change recorded, and what undo reads. */
interface AttachmentState {
  policyArn: string;
  attached: boolean;
}

function roleNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

async function isAttached(iam: IAMClient, roleName: string, policyArn: string): Promise<boolean> {
  const { ListAttachedRolePoliciesCommand } = await sdk.iam();
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }));
    if ((page.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn)) return true;
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return false;
}

async function undoIam(ctx: UndoContext): Promise<IAMClient> {
  const { IAMClient: Client } = await sdk.iam();
  return ctx.client(Client);
}

export default defineBot({
  meta: {
    name: 'ec2_update_instance_role',
    summary: 'Attach a managed policy (param) to the instance’s existing IAM role',
    description:
      'Finds the role of the instance’s instance profile and attaches the managed policy `policy_arn` to it unless it is ' +
      'attached already; nothing else changes. Meant for a restricting policy (AWSDenyAll, a deny-by-condition policy ' +
      'of your own): the ARN is set in the config, never by a finding; `$ACCOUNT_ID` stands for the finding’s account. ' +
      'Every other workload using the same role is affected too. An instance without a profile is skipped (see ' +
      'ec2_attach_instance_role). The profile and the role are read, and the role written, through sessions naming ' +
      'exactly them; dry run cannot read them (the first session may not), so it reports the change unchecked. Undo ' +
      'detaches the policy from the role again (the role’s other policies are left).',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({
      policy_arn: POLICY_ARN.describe('the managed policy to attach to the instance’s role ($ACCOUNT_ID allowed)'),
    }),
    positional: ['policy_arn'],
    overridable: [],
    sensitiveParams: { policy_arn: 'policy' },
    permissions: [
      DESCRIBE_INSTANCE_STATE,
      DESCRIBE_ASSOCIATIONS,
      {
        actions: ['iam:GetInstanceProfile'],
        resources: PROFILE_RESOURCES,
        reason: 'read the role of the instance’s profile (named once read from the association)',
        global: true,
      },
      {
        actions: ['iam:ListAttachedRolePolicies', 'iam:AttachRolePolicy'],
        resources: DERIVED_ROLE_RESOURCES,
        reason: 'read the policies of the profile’s role and attach the configured one, to that role only',
        global: true,
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'detaches the attached policy from the instance’s role again, so the role (and every workload using it) has the permissions it had before',
        recordsIds: ['roleName'],
        permissions: [
          {
            actions: ['iam:ListAttachedRolePolicies', 'iam:DetachRolePolicy'],
            // The role is known only from the change record, which names it for the undo session.
            resources: DERIVED_ROLE_RESOURCES,
            reason: 'undo: read the policies of the role and detach the one the remediation attached, from that role only',
            global: true,
          },
        ],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx): Promise<AttachmentState> {
        const { policyArn } = recordedAfter<AttachmentState>(ctx);
        return { policyArn, attached: await isAttached(await undoIam(ctx), roleNameOfArn(ctx.target), policyArn) };
      },
      async write(ctx, state) {
        const { DetachRolePolicyCommand } = await sdk.iam();
        const { policyArn, attached } = state as AttachmentState;
        // The bot attaches only a policy the role did not have: the state before is always detached.
        if (attached) throw new Error(`undo of ${ctx.target}: only detaching the attached policy is supported`);
        await (await undoIam(ctx)).send(new DetachRolePolicyCommand({ RoleName: roleNameOfArn(ctx.target), PolicyArn: policyArn }));
      },
    },
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const { IAMClient, AttachRolePolicyCommand } = await sdk.iam();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const policyArn = resolvePolicyArn(ctx.params.policy_arn, ctx.account);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to change`);
    const association = await associationOf(ec2, instanceId);
    const profileName = profileNameOfArn(association?.IamInstanceProfile?.Arn);
    if (!profileName)
      return skipped(`${instanceId} has no instance profile, so no role to attach ${policyArn} to (see ec2_attach_instance_role)`);

    const changes = new ChangeSet(ctx);
    const roleArnOf = (roleArn: string | undefined, roleName: string) =>
      roleArn ?? `arn:${ctx.partition}:iam::${ctx.account}:role/${roleName}`;
    if (ctx.dryRun) {
      await changes.apply(
        {
          action: 'iam:AttachRolePolicy',
          target: `arn:${ctx.partition}:iam::${ctx.account}:instance-profile/${profileName}`,
          description: `attach ${policyArn} to the role of instance profile ${profileName} (not read in dry run)`,
          undo: { kind: KIND, before: { policyArn, attached: false }, after: { policyArn, attached: true } },
        },
        async () => undefined,
      );
      return changes.result(`attached ${policyArn} to the role of ${profileName} of ${instanceId}`);
    }

    const reader = (await ctx.narrowTo({ instanceProfileName: [profileName] }))(IAMClient);
    const role = await roleOfProfile(reader, profileName);
    const roleName = role?.RoleName;
    if (!roleName) return skipped(`instance profile ${profileName} of ${instanceId} holds no role; nothing to attach ${policyArn} to`);
    const iam = (await ctx.narrowTo({ instanceProfileName: [profileName], roleName: [roleName] }))(IAMClient);
    if (!(await isAttached(iam, roleName, policyArn))) {
      await changes.apply(
        {
          action: 'iam:AttachRolePolicy',
          target: roleArnOf(role?.Arn, roleName),
          description: `attach ${policyArn} (role of instance profile ${profileName} of ${instanceId})`,
          undo: {
            kind: KIND,
            before: { policyArn, attached: false },
            after: { policyArn, attached: true },
            ids: { roleName: [roleName] },
          },
        },
        () => iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
      );
    }
    return changes.result(
      `attached ${policyArn} to role ${roleName} of ${instanceId} (instance profile ${profileName}; every user of the role is affected)`,
      `${policyArn} is already attached to role ${roleName} of ${instanceId}`,
    );
  },
});
