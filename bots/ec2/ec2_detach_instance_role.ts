import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { isNoSuchEntity } from '../iam/user';
import { defineBot, type BotContext } from '../types';
import { idOfTarget } from './ec2-resource';
import {
  DERIVED_ROLE_RESOURCES,
  DESCRIBE_ASSOCIATIONS,
  PROFILE_RESOURCES,
  associationOf,
  profileNameOfArn,
  roleOfProfile,
} from './instance-profile';
import { DESCRIBE_INSTANCE_STATE, INSTANCE_ARN, describeInstance, instanceArn, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

const KIND = 'instance-profile';

/**
 * The role of the profile being removed, read through credentials naming that profile: recorded so undo may hand
 * EC2 that role and no other. A profile deleted while still associated has none (and undo could not associate it).
 */
async function roleOfRemovedProfile(ctx: BotContext, profileName: string): Promise<string[]> {
  const { IAMClient } = await sdk.iam();
  const iam = (await ctx.narrowTo({ instanceProfileName: [profileName] }))(IAMClient);
  try {
    const role = await roleOfProfile(iam, profileName);
    return role?.RoleName ? [role.RoleName] : [];
  } catch (error) {
    if (isNoSuchEntity(error)) return [];
    throw error;
  }
}

export default defineBot({
  meta: {
    name: 'ec2_detach_instance_role',
    summary: 'Remove the instance profile (and so the IAM role) from the instance',
    description:
      'Disassociates the instance profile from the instance, so software on it can no longer get credentials of the ' +
      'profile’s role from the instance metadata service (credentials already handed out stay valid until they expire, ' +
      'at most a few hours). The profile and its role are not changed or deleted. The profile removed and its role (read ' +
      'through credentials naming that profile only) are recorded; undo associates the profile with the instance again, ' +
      'allowed to hand EC2 that recorded role and no other.',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({}),
    permissions: [
      DESCRIBE_INSTANCE_STATE,
      DESCRIBE_ASSOCIATIONS,
      {
        actions: ['iam:GetInstanceProfile'],
        resources: PROFILE_RESOURCES,
        reason: 'read the role of the instance’s profile, recorded for undo (only the profile read from the association)',
        global: true,
      },
      {
        actions: ['ec2:DisassociateIamInstanceProfile'],
        resources: [INSTANCE_ARN],
        reason: 'remove the instance profile from the instance',
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'associates the removed instance profile with the instance again',
        permissions: [
          { ...DESCRIBE_ASSOCIATIONS, reason: 'undo: read the instance’s instance profile association (no resource-level permissions)' },
          { actions: ['ec2:AssociateIamInstanceProfile'], resources: [INSTANCE_ARN], reason: 'undo: associate the removed profile again' },
          {
            actions: ['iam:PassRole'],
            // The profile's role as the change recorded it; undo sessions only, to EC2 only.
            resources: DERIVED_ROLE_RESOURCES,
            conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
            reason: 'undo: hand the removed profile’s role back to EC2 (only the role the change recorded)',
            global: true,
          },
        ],
        recordsIds: ['roleName'],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        const association = await associationOf(ctx.client(EC2Client), idOfTarget(ctx.target));
        return { instanceProfileArn: association?.IamInstanceProfile?.Arn ?? null };
      },
      async write(ctx, state) {
        const { EC2Client, AssociateIamInstanceProfileCommand } = await sdk.ec2();
        const { instanceProfileArn } = state as { instanceProfileArn: string | null };
        if (!instanceProfileArn) return;
        await ctx
          .client(EC2Client)
          .send(
            new AssociateIamInstanceProfileCommand({ InstanceId: idOfTarget(ctx.target), IamInstanceProfile: { Arn: instanceProfileArn } }),
          );
      },
    },
  },
  async run(ctx) {
    const { EC2Client, DisassociateIamInstanceProfileCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${instance.State?.Name}; nothing to detach`);
    const association = await associationOf(ec2, instanceId);
    const changes = new ChangeSet(ctx);
    const profileArn = association?.IamInstanceProfile?.Arn;
    if (association?.AssociationId) {
      const associationId = association.AssociationId;
      const profileName = profileNameOfArn(profileArn);
      const roleName = profileName ? await roleOfRemovedProfile(ctx, profileName) : [];
      await changes.apply(
        {
          action: 'ec2:DisassociateIamInstanceProfile',
          target: instanceArn(ctx, instanceId),
          description: `instance profile ${profileArn ?? '(unknown)'} (${associationId}; role ${roleName[0] ?? 'none'}) -> none`,
          undo: {
            kind: KIND,
            before: { instanceProfileArn: profileArn ?? null },
            after: { instanceProfileArn: null },
            ids: { roleName },
          },
        },
        () => ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: associationId })),
      );
    }
    return changes.result(
      `removed instance profile ${profileNameOfArn(profileArn) ?? ''} from ${instanceId} (recorded for undo: ${profileArn})`,
      `${instanceId} has no instance profile`,
    );
  },
});
