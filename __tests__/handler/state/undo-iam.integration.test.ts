/**
 * Remediate, then `cloudmend undo`, against moto, for the IAM bots whose
 * changes are reversible: each user, role or account setting reads back equal
 * to its seeded state (access key status, attached managed policy, inline
 * policy, group membership, password policy). A deleted access key is refused.
 * iam_user_deactivate_old_access_keys and iam_user_deactivate_unused_access_key
 * share iam_revoke_access_key's undoer (access-key-status): moto dates keys now,
 * so they find nothing old to deactivate; their unit tests check the record.
 * iam_user_force_password_change is left to unit tests: moto's UpdateLoginProfile
 * drops the login profile's password (see that bot's unit test header).
 */
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import iamDeleteAccessKey from '../../../bots/iam/iam_delete_access_key';
import iamQuarantineRole from '../../../bots/iam/iam_quarantine_role';
import iamQuarantineUser from '../../../bots/iam/iam_quarantine_user';
import iamRevokeAccessKey from '../../../bots/iam/iam_revoke_access_key';
import iamRoleAttachPolicy from '../../../bots/iam/iam_role_attach_policy';
import iamTurnOnPasswordPolicy from '../../../bots/iam/iam_turn_on_password_policy';
import iamUserAttachPolicy from '../../../bots/iam/iam_user_attach_policy';
import iamUserDetach from '../../../bots/iam/iam_user_detach';
import iamUserEnforceMfa from '../../../bots/iam/iam_user_enforce_mfa';
import { describeMoto, memberSession } from '../../support/moto';
import { createStateTable } from './support';
import { MEMBER, REGION, remediate, TABLE, undoResult } from './undo-support';

const userArn = (name: string) => `arn:aws:iam::${MEMBER}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${MEMBER}:role/${name}`;
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describeMoto('IAM: remediate, then undo, against moto', () => {
  let iam: IAMClient;
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
    iam = (await memberSession(MEMBER, REGION)).client(IAMClient);
  });

  const keyStatus = async (user: string) =>
    ((await iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId, k.Status]);

  it('iam_revoke_access_key: undo makes the same key Active again', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'undo-key' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'undo-key' }))).AccessKey!.AccessKeyId!;
    const seeded = await keyStatus('undo-key');

    const outcome = await remediate(iamRevokeAccessKey, 'AWS::IAM::User', userArn('undo-key'), { access_key_id: key });
    expect(await keyStatus('undo-key')).toEqual([[key, 'Inactive']]);

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('makes the access key Active again');
    expect(code).toBe(0);
    expect(await keyStatus('undo-key')).toEqual(seeded);
  });

  it('iam_delete_access_key: undo refuses, the secret is gone', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'undo-key-deleted' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'undo-key-deleted' }))).AccessKey!.AccessKeyId!;
    const outcome = await remediate(iamDeleteAccessKey, 'AWS::IAM::User', userArn('undo-key-deleted'), { access_key_id: key });
    expect(outcome.result?.status).toBe('remediated');
    const { code, text } = await undoResult(outcome);
    expect(code).toBe(1);
    expect(text).toContain('REFUSED, irreversible: a deleted access key cannot be brought back');
  });

  it('iam_user_attach_policy and iam_role_attach_policy: undo detaches the policy again', async () => {
    const policyArn = (
      await iam.send(
        new CreatePolicyCommand({
          PolicyName: 'undo-deny-all',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }),
        }),
      )
    ).Policy!.Arn!;
    await iam.send(new CreateUserCommand({ UserName: 'undo-attach' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'undo-attach-role', AssumeRolePolicyDocument: TRUST }));
    const attached = async () => [
      (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'undo-attach' }))).AttachedPolicies ?? [],
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'undo-attach-role' }))).AttachedPolicies ?? [],
    ];
    const seeded = await attached();

    const user = await remediate(iamUserAttachPolicy, 'AWS::IAM::User', userArn('undo-attach'), { policy_arn: policyArn });
    const role = await remediate(iamRoleAttachPolicy, 'AWS::IAM::Role', roleArn('undo-attach-role'), { policy_arn: policyArn });
    expect((await attached()).map((list) => list.length)).toEqual([1, 1]);

    expect((await undoResult(user)).code).toBe(0);
    expect((await undoResult(role)).code).toBe(0);
    expect(await attached()).toEqual(seeded);
  });

  it('iam_quarantine_user, iam_quarantine_role and iam_user_enforce_mfa: undo removes the inline policy they put', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'undo-quarantine' }));
    await iam.send(new CreateUserCommand({ UserName: 'undo-mfa' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'undo-quarantine-role', AssumeRolePolicyDocument: TRUST }));
    const inline = async () => [
      (await iam.send(new ListUserPoliciesCommand({ UserName: 'undo-quarantine' }))).PolicyNames,
      (await iam.send(new ListUserPoliciesCommand({ UserName: 'undo-mfa' }))).PolicyNames,
      (await iam.send(new ListRolePoliciesCommand({ RoleName: 'undo-quarantine-role' }))).PolicyNames,
    ];
    const seeded = await inline();

    const outcomes = [
      await remediate(iamQuarantineUser, 'AWS::IAM::User', userArn('undo-quarantine')),
      await remediate(iamUserEnforceMfa, 'AWS::IAM::User', userArn('undo-mfa')),
      await remediate(iamQuarantineRole, 'AWS::IAM::Role', roleArn('undo-quarantine-role')),
    ];
    expect(outcomes.map((o) => o.result?.status)).toEqual(['remediated', 'remediated', 'remediated']);
    expect((await inline()).map((names) => names?.length)).toEqual([1, 1, 1]);

    for (const outcome of outcomes) {
      const { code, text } = await undoResult(outcome);
      expect([code, text]).toEqual([0, expect.stringContaining('restored: iam:Put')]);
    }
    expect(await inline()).toEqual(seeded);
  });

  it('iam_user_detach: undo adds the user to the group again', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'undo-member' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'undo-admins' }));
    await iam.send(new AddUserToGroupCommand({ UserName: 'undo-member', GroupName: 'undo-admins' }));
    const groups = async () =>
      ((await iam.send(new ListGroupsForUserCommand({ UserName: 'undo-member' }))).Groups ?? []).map((g) => g.GroupName);

    const outcome = await remediate(iamUserDetach, 'AWS::IAM::User', userArn('undo-member'), { group: 'undo-admins' });
    expect(await groups()).toEqual([]);
    expect((await undoResult(outcome)).code).toBe(0);
    expect(await groups()).toEqual(['undo-admins']);
  });

  it.each([
    ['no password policy', undefined],
    ['a weaker password policy', { MinimumPasswordLength: 8, RequireNumbers: true, AllowUsersToChangePassword: false }],
  ])('iam_turn_on_password_policy on an account with %s: undo puts it back as seeded', async (_label, seed) => {
    await iam.send(new DeleteAccountPasswordPolicyCommand({})).catch(() => undefined);
    if (seed) await iam.send(new UpdateAccountPasswordPolicyCommand(seed));
    const read = async () => {
      try {
        return (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
      } catch (error) {
        if ((error as Error).name === 'NoSuchEntityException') return 'none';
        throw error;
      }
    };
    const seeded = await read();

    const outcome = await remediate(iamTurnOnPasswordPolicy, 'AWS::::Account', MEMBER);
    expect(outcome.result?.status).toBe('remediated');
    expect(await read()).not.toEqual(seeded);

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: iam:UpdateAccountPasswordPolicy');
    expect(code).toBe(0);
    expect(await read()).toEqual(seeded);
  });
});
