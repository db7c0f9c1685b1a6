import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { POLICY_ARN, resolvePolicyArn } from '../iam/managed-policy-arn';
import { defineBot } from '../types';
import {
  DERIVED_ROLE_RESOURCES,
  DESCRIBE_ASSOCIATIONS,
  PROFILE_RESOURCES,
  associationOf,
  profileNameOfArn,
  roleOfProfile,
} from './instance-profile';
import { describeInstance, instanceIdOf, isGone } from './instance';

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
      'exactly them; dry run cannot read them (the first session may not), so it reports the change unchecked.',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({
      policy_arn: POLICY_ARN.describe('the managed policy to attach to the instance’s role ($ACCOUNT_ID allowed)'),
    }),
    positional: ['policy_arn'],
    overridable: [],
    sensitiveParams: { policy_arn: 'policy' },
    permissions: [
      {
        actions: ['ec2:DescribeInstances'],
        resources: ['*'],
        reason: 'read the instance’s state (DescribeInstances supports no resource-level permissions)',
      },
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
  },
  async run(ctx) {
    const { EC2Client } = await import('@aws-sdk/client-ec2');
    const { IAMClient, AttachRolePolicyCommand, ListAttachedRolePoliciesCommand } = await import('@aws-sdk/client-iam');
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
    let attached = false;
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }));
      attached = (page.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (!attached && marker);
    if (!attached) {
      await changes.apply(
        {
          action: 'iam:AttachRolePolicy',
          target: roleArnOf(role?.Arn, roleName),
          description: `attach ${policyArn} (role of instance profile ${profileName} of ${instanceId})`,
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
