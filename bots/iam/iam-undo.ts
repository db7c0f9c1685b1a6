/**
 * Undo for the IAM changes bots make (issue #11): an access key's status, a
 * managed policy attached, an inline policy put or deleted, the account
 * password policy. Each state names its part (key id, policy ARN or name), so
 * the undoer reads exactly what the change touched (`UndoContext.change`).
 */
import { recordedAfter, type Undoer, type UndoContext, type UndoKind } from '../types';
import { parsePolicyDocument } from './inline-policy';
import { type PasswordPolicySettings, settingsOf, updateRequestFor } from './password-policy';
import { ROLE_RESOURCES } from './role';
import { isNoSuchEntity, USER_RESOURCES } from './user';
import { sdk } from '../sdk';

/** The user or role name of an IAM ARN (`arn:aws:iam::1:user/path/name`) or a bare name. */
function nameOfTarget(target: string): string {
  return target.slice(target.lastIndexOf('/') + 1);
}

async function iamOf(ctx: UndoContext) {
  const commands = await sdk.iam();
  return { commands, iam: ctx.client(commands.IAMClient) };
}

export const ACCESS_KEY_STATUS_KIND = 'access-key-status';

export interface AccessKeyState {
  accessKeyId: string;
  status: string;
}

export const ACCESS_KEY_STATUS_UNDO: UndoKind = {
  reversible: true,
  how: 'makes the access key Active again (the same key: its secret was never changed)',
  permissions: [
    {
      actions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
      resources: USER_RESOURCES,
      reason: 'undo: read the status of the user’s access keys and make the deactivated one Active again',
      global: true,
    },
  ],
};

export const accessKeyStatusUndoer: Undoer = {
  async read(ctx) {
    const { commands, iam } = await iamOf(ctx);
    const { accessKeyId } = recordedAfter<AccessKeyState>(ctx);
    const { AccessKeyMetadata } = await iam.send(new commands.ListAccessKeysCommand({ UserName: nameOfTarget(ctx.target) }));
    const key = (AccessKeyMetadata ?? []).find((k) => k.AccessKeyId === accessKeyId);
    return key ? { accessKeyId, status: key.Status } : null;
  },
  async write(ctx, state) {
    const { commands, iam } = await iamOf(ctx);
    const { accessKeyId, status } = state as AccessKeyState;
    await iam.send(
      new commands.UpdateAccessKeyCommand({ UserName: nameOfTarget(ctx.target), AccessKeyId: accessKeyId, Status: status as 'Active' }),
    );
  },
};

export const USER_MANAGED_POLICY_KIND = 'user-managed-policy';
export const ROLE_MANAGED_POLICY_KIND = 'role-managed-policy';

export interface AttachedPolicyState {
  policyArn: string;
  attached: boolean;
}

function managedPolicyUndo(principal: 'user' | 'role'): UndoKind {
  const Of = principal === 'user' ? 'User' : 'Role';
  return {
    reversible: true,
    how: `detaches the managed policy from the ${principal} again`,
    permissions: [
      {
        actions: [`iam:ListAttached${Of}Policies`, `iam:Detach${Of}Policy`],
        resources: principal === 'user' ? USER_RESOURCES : ROLE_RESOURCES,
        reason: `undo: read the policies attached to the ${principal} and detach the one the remediation attached`,
        global: true,
      },
    ],
  };
}

export const USER_MANAGED_POLICY_UNDO = managedPolicyUndo('user');
export const ROLE_MANAGED_POLICY_UNDO = managedPolicyUndo('role');

function managedPolicyUndoer(principal: 'user' | 'role'): Undoer {
  return {
    async read(ctx) {
      const { commands, iam } = await iamOf(ctx);
      const { policyArn } = recordedAfter<AttachedPolicyState>(ctx);
      const name = nameOfTarget(ctx.target);
      const attached =
        principal === 'user'
          ? (await iam.send(new commands.ListAttachedUserPoliciesCommand({ UserName: name }))).AttachedPolicies
          : (await iam.send(new commands.ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies;
      return { policyArn, attached: (attached ?? []).some((p) => p.PolicyArn === policyArn) };
    },
    async write(ctx, state) {
      const { commands, iam } = await iamOf(ctx);
      const { policyArn, attached } = state as AttachedPolicyState;
      if (attached) return; // the bots only attach: the state they restore is always "not attached"
      const name = nameOfTarget(ctx.target);
      if (principal === 'user') await iam.send(new commands.DetachUserPolicyCommand({ UserName: name, PolicyArn: policyArn }));
      else await iam.send(new commands.DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn }));
    },
  };
}

export const userManagedPolicyUndoer = managedPolicyUndoer('user');
export const roleManagedPolicyUndoer = managedPolicyUndoer('role');

export const USER_INLINE_POLICY_KIND = 'user-inline-policy';
export const ROLE_INLINE_POLICY_KIND = 'role-inline-policy';

export interface InlinePolicyState {
  policyName: string;
  /** The parsed policy document, null when the principal had no inline policy of that name. */
  document: unknown;
}

function inlinePolicyUndo(principal: 'user' | 'role'): UndoKind {
  const Of = principal === 'user' ? 'User' : 'Role';
  return {
    reversible: true,
    how: `puts the ${principal}'s inline policy of that name back as it was (deletes it if the ${principal} had none)`,
    permissions: [
      {
        actions: [`iam:Get${Of}Policy`, `iam:Put${Of}Policy`, `iam:Delete${Of}Policy`],
        resources: principal === 'user' ? USER_RESOURCES : ROLE_RESOURCES,
        reason: `undo: read the ${principal}'s inline policy and put back (or delete) the recorded one`,
        global: true,
      },
    ],
  };
}

export const USER_INLINE_POLICY_UNDO = inlinePolicyUndo('user');
export const ROLE_INLINE_POLICY_UNDO = inlinePolicyUndo('role');

function inlinePolicyUndoer(principal: 'user' | 'role'): Undoer {
  return {
    async read(ctx) {
      const { commands, iam } = await iamOf(ctx);
      const { policyName } = recordedAfter<InlinePolicyState>(ctx);
      const name = nameOfTarget(ctx.target);
      try {
        const raw =
          principal === 'user'
            ? (await iam.send(new commands.GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))).PolicyDocument
            : (await iam.send(new commands.GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }))).PolicyDocument;
        return { policyName, document: raw ? parsePolicyDocument(raw) : null };
      } catch (error) {
        if (isNoSuchEntity(error)) return { policyName, document: null };
        throw error;
      }
    },
    async write(ctx, state) {
      const { commands, iam } = await iamOf(ctx);
      const { policyName, document } = state as InlinePolicyState;
      const name = nameOfTarget(ctx.target);
      const PolicyDocument = JSON.stringify(document);
      if (principal === 'user') {
        if (document === null) await iam.send(new commands.DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName }));
        else await iam.send(new commands.PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument }));
      } else if (document === null) await iam.send(new commands.DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
      else await iam.send(new commands.PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument }));
    },
  };
}

export const userInlinePolicyUndoer = inlinePolicyUndoer('user');
export const roleInlinePolicyUndoer = inlinePolicyUndoer('role');

export const PASSWORD_POLICY_KIND = 'account-password-policy';

export const PASSWORD_POLICY_UNDO: UndoKind = {
  reversible: true,
  how: 'puts the account password policy back as it was (deletes it if the account had none)',
  permissions: [
    {
      actions: ['iam:GetAccountPasswordPolicy', 'iam:UpdateAccountPasswordPolicy', 'iam:DeleteAccountPasswordPolicy'],
      resources: ['*'],
      reason: 'undo: read the account password policy and put back (or delete) the recorded one (no resource-level permissions)',
      global: true,
    },
  ],
};

export const passwordPolicyUndoer: Undoer = {
  async read(ctx) {
    const { commands, iam } = await iamOf(ctx);
    try {
      return settingsOf((await iam.send(new commands.GetAccountPasswordPolicyCommand({}))).PasswordPolicy) ?? null;
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  },
  async write(ctx, state) {
    const { commands, iam } = await iamOf(ctx);
    if (state === null) await iam.send(new commands.DeleteAccountPasswordPolicyCommand({}));
    else await iam.send(new commands.UpdateAccountPasswordPolicyCommand(updateRequestFor(state as PasswordPolicySettings)));
  },
};

export const GROUP_MEMBERSHIP_KIND = 'group-membership';

export interface GroupMembershipState {
  group: string;
  member: boolean;
}

export const GROUP_MEMBERSHIP_UNDO: UndoKind = {
  reversible: true,
  how: 'adds the user to the group again',
  permissions: [
    { actions: ['iam:ListGroupsForUser'], resources: USER_RESOURCES, reason: 'undo: read the groups the user is in', global: true },
    {
      actions: ['iam:AddUserToGroup'],
      // Authorized on the group: the one the change recorded (ids.groupName), as the removal's session named it.
      resources: ['arn:{partition}:iam::{account}:group/{groupName}'],
      reason: 'undo: add the user to the group it was removed from',
      global: true,
    },
  ],
};

export const groupMembershipUndoer: Undoer = {
  async read(ctx) {
    const { commands, iam } = await iamOf(ctx);
    const { group } = recordedAfter<GroupMembershipState>(ctx);
    let member = false;
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new commands.ListGroupsForUserCommand({ UserName: nameOfTarget(ctx.target), ...(marker ? { Marker: marker } : {}) }),
      );
      member = (page.Groups ?? []).some((g) => g.GroupName === group);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (!member && marker);
    return { group, member };
  },
  async write(ctx, state) {
    const { commands, iam } = await iamOf(ctx);
    const { group, member } = state as GroupMembershipState;
    if (member) await iam.send(new commands.AddUserToGroupCommand({ UserName: nameOfTarget(ctx.target), GroupName: group }));
  },
};

export const PASSWORD_RESET_KIND = 'password-reset-required';

export const PASSWORD_RESET_UNDO: UndoKind = {
  reversible: true,
  how: 'no longer requires the user to set a new console password at next sign-in (refused once the user has set one)',
  permissions: [
    {
      actions: ['iam:GetLoginProfile', 'iam:UpdateLoginProfile'],
      resources: USER_RESOURCES,
      reason: "undo: read the user's login profile and lift the password reset requirement",
      global: true,
    },
  ],
};

export const passwordResetUndoer: Undoer = {
  async read(ctx) {
    const { commands, iam } = await iamOf(ctx);
    try {
      const { LoginProfile } = await iam.send(new commands.GetLoginProfileCommand({ UserName: nameOfTarget(ctx.target) }));
      return { passwordResetRequired: LoginProfile?.PasswordResetRequired === true };
    } catch (error) {
      if (isNoSuchEntity(error)) return null;
      throw error;
    }
  },
  async write(ctx, state) {
    const { commands, iam } = await iamOf(ctx);
    const { passwordResetRequired } = state as { passwordResetRequired: boolean };
    await iam.send(
      new commands.UpdateLoginProfileCommand({ UserName: nameOfTarget(ctx.target), PasswordResetRequired: passwordResetRequired }),
    );
  },
};
