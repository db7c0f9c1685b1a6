import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { idOfTarget } from './ec2-resource';
import {
  DERIVED_ROLE_RESOURCES,
  DESCRIBE_ASSOCIATIONS,
  INSTANCE_PROFILE_PARAM,
  PROFILE_RESOURCES,
  associationOf,
  profileNameOf,
  profileNameOfArn,
  roleOfProfile,
} from './instance-profile';
import { DESCRIBE_INSTANCE_STATE, INSTANCE_ARN, describeInstance, instanceArn, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

/** The tag a role must carry before this bot may hand it to EC2: the member role grants iam:PassRole on no other role. */
export const ATTACHABLE_TAG = 'cloudmend:ec2-attachable';
const KIND = 'instance-profile';

/** The instance's profile as undo compares it: its name (the bot attaches by name; an ARN would carry the profile's path). */
interface ProfileState {
  instanceProfileName: string | null;
}

export default defineBot({
  meta: {
    name: 'ec2_attach_instance_role',
    summary: 'Attach an instance profile (param) to an instance that has none',
    description:
      'Associates the instance profile `instance_profile` (a name, or an ARN in the finding’s account; `$ACCOUNT_ID` ' +
      'stands for it) with the instance, so software on it gets the profile role’s credentials. An instance that ' +
      'already has another profile is refused, never switched: use ec2_update_instance_role to add a policy to its ' +
      `role, or ec2_detach_instance_role first. The profile’s role must carry the tag ${ATTACHABLE_TAG}=true: the ` +
      'member role may hand EC2 no other role, so no run, however its session is named, can give an instance a role ' +
      'nobody marked for it. The profile is set in the config, never by a finding. Dry run cannot read the profile ' +
      '(the first session may not), so it reports the association without checking the role. Undo removes the profile ' +
      'from the instance again (the profile and its role are left).',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({
      instance_profile: INSTANCE_PROFILE_PARAM.describe(
        'the instance profile to attach: its name, or its ARN ($ACCOUNT_ID allowed; must be in the finding’s account)',
      ),
    }),
    positional: ['instance_profile'],
    overridable: [],
    sensitiveParams: { instance_profile: 'principal' },
    permissions: [
      DESCRIBE_INSTANCE_STATE,
      DESCRIBE_ASSOCIATIONS,
      {
        actions: ['iam:GetInstanceProfile'],
        resources: PROFILE_RESOURCES,
        reason: 'read the role of the configured profile (named once the bot has read the param)',
        global: true,
      },
      { actions: ['ec2:AssociateIamInstanceProfile'], resources: [INSTANCE_ARN], reason: 'associate the profile with the instance' },
      {
        actions: ['iam:PassRole'],
        resources: DERIVED_ROLE_RESOURCES,
        conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com', [`aws:ResourceTag/${ATTACHABLE_TAG}`]: 'true' } },
        reason: `hand the profile’s role to EC2: only that role, only to EC2, only when it carries ${ATTACHABLE_TAG}=true`,
        global: true,
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'removes the attached instance profile from the instance again (the profile and its role are left as they are)',
        permissions: [
          { ...DESCRIBE_ASSOCIATIONS, reason: 'undo: read the instance’s instance profile association (no resource-level permissions)' },
          {
            actions: ['ec2:DisassociateIamInstanceProfile'],
            resources: [INSTANCE_ARN],
            reason: 'undo: remove the attached profile from the instance',
          },
        ],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx): Promise<ProfileState> {
        const { EC2Client } = await sdk.ec2();
        const association = await associationOf(ctx.client(EC2Client), idOfTarget(ctx.target));
        return { instanceProfileName: profileNameOfArn(association?.IamInstanceProfile?.Arn) ?? null };
      },
      async write(ctx, state) {
        const { EC2Client, DisassociateIamInstanceProfileCommand } = await sdk.ec2();
        const { instanceProfileName } = state as ProfileState;
        // The bot attaches only to an instance without a profile: the state before is always none.
        if (instanceProfileName !== null) throw new Error(`undo of ${ctx.target}: only removing the attached profile is supported`);
        const ec2 = ctx.client(EC2Client);
        const association = await associationOf(ec2, idOfTarget(ctx.target));
        if (!association?.AssociationId) return;
        await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: association.AssociationId }));
      },
    },
  },
  async run(ctx) {
    const { EC2Client, AssociateIamInstanceProfileCommand } = await sdk.ec2();
    const { IAMClient } = await sdk.iam();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const profileName = profileNameOf(ctx.params.instance_profile, ctx);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to attach a role to`);
    const association = await associationOf(ec2, instanceId);
    const changes = new ChangeSet(ctx);
    if (association) {
      const current = association.IamInstanceProfile?.Arn;
      if (profileNameOfArn(current) === profileName) return changes.result('', `${instanceId} already has instance profile ${profileName}`);
      return skipped(
        `${instanceId} already has instance profile ${current ?? association.AssociationId}; not replacing it with ${profileName}: ` +
          'use ec2_update_instance_role to attach a policy to its role, or ec2_detach_instance_role first',
      );
    }

    let roleNote = '';
    let writer = ec2;
    if (!ctx.dryRun) {
      // The profile, then its role, named in the session before they are read and passed.
      const reader = (await ctx.narrowTo({ instanceProfileName: [profileName] }))(IAMClient);
      const role = await roleOfProfile(reader, profileName);
      if (!role?.RoleName) throw new Error(`instance profile ${profileName} holds no role: nothing to attach`);
      roleNote = ` (role ${role.RoleName})`;
      writer = (await ctx.narrowTo({ instanceProfileName: [profileName], roleName: [role.RoleName] }))(EC2Client);
    }
    await changes.apply(
      {
        action: 'ec2:AssociateIamInstanceProfile',
        target: instanceArn(ctx, instanceId),
        description: `instance profile none -> ${profileName}${roleNote}`,
        undo: { kind: KIND, before: { instanceProfileName: null }, after: { instanceProfileName: profileName } },
      },
      () => writer.send(new AssociateIamInstanceProfileCommand({ InstanceId: instanceId, IamInstanceProfile: { Name: profileName } })),
    );
    return changes.result(`attached instance profile ${profileName}${roleNote} to ${instanceId}`);
  },
});
