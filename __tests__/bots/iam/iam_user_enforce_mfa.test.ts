import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteUserPolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import bot, { ENFORCE_MFA_POLICY } from '../../../bots/iam/iam_user_enforce_mfa';
import { botContext } from '../../support/bot-context';

const alice = { type: 'AWS::IAM::User', id: 'alice' };
const device = { UserName: 'alice', SerialNumber: 'arn:aws:iam::222222222222:mfa/alice', EnableDate: new Date('2026-01-01') };
const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));

describe('iam_user_enforce_mfa', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('the policy denies everything but MFA self-management, and only for requests without MFA', () => {
    const [statement] = ENFORCE_MFA_POLICY.Statement as [Record<string, unknown>];
    expect(statement).toMatchObject({
      Effect: 'Deny',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(statement).not.toHaveProperty('Action');
    expect(statement.NotAction).toEqual(
      expect.arrayContaining([
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:ListMFADevices',
        'sts:GetSessionToken',
        'iam:ChangePassword',
      ]),
    );
  });

  it('attaches the enforce-MFA policy to a user without an MFA device', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [], IsTruncated: false });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(PutUserPolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(iam.commandCalls(ListMFADevicesCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(ListUserPoliciesCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    const put = iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input;
    expect(put).toEqual({ UserName: 'alice', PolicyName: 'cloudmend-enforce-mfa', PolicyDocument: JSON.stringify(ENFORCE_MFA_POLICY) });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'iam:PutUserPolicy', target: 'arn:aws:iam::222222222222:user/alice', applied: true }),
    ]);
  });

  it('is already compliant when a user without MFA already carries the policy', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['cloudmend-enforce-mfa'] });
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: encoded(ENFORCE_MFA_POLICY) });

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(result.status).toBe('already-compliant');
    expect(result.message).toMatch(/already carries cloudmend-enforce-mfa/);
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
  });

  it('rewrites the policy when someone altered it', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['cloudmend-enforce-mfa'] });
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: encoded({ Version: '2012-10-17', Statement: [] }) });

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(result.status).toBe('remediated');
    expect(JSON.parse(iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(ENFORCE_MFA_POLICY);
  });

  it('is already compliant, writing nothing, when the user has an MFA device and no policy', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [device] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['app-access'] });

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(result).toEqual({
      status: 'already-compliant',
      message: 'IAM user alice has an MFA device (arn:aws:iam::222222222222:mfa/alice)',
      changes: [],
    });
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteUserPolicyCommand)).toHaveLength(0);
  });

  it('removes its policy once the user has an MFA device', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [device] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['cloudmend-enforce-mfa'] });
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: encoded(ENFORCE_MFA_POLICY) });
    iam.on(DeleteUserPolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: alice }));

    expect(iam.commandCalls(DeleteUserPolicyCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', PolicyName: 'cloudmend-enforce-mfa' });
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
    expect(result.status).toBe('remediated');
    expect(result.message).toMatch(/has an MFA device .*removed cloudmend-enforce-mfa/);
    expect(result.changes).toEqual([expect.objectContaining({ action: 'iam:DeleteUserPolicy', applied: true })]);
  });

  it('in dry run reports the attach it would make and makes no write', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
    const result = await bot.run(botContext(bot, { resource: alice, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'iam:PutUserPolicy', applied: false })]);
    expect(iam.commandCalls(PutUserPolicyCommand)).toHaveLength(0);
  });

  it('in dry run reports the removal it would make and makes no write', async () => {
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [device] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['cloudmend-enforce-mfa'] });
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: encoded(ENFORCE_MFA_POLICY) });
    const result = await bot.run(botContext(bot, { resource: alice, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'iam:DeleteUserPolicy', applied: false })]);
    expect(iam.commandCalls(DeleteUserPolicyCommand)).toHaveLength(0);
  });

  it('refuses a resource id that is not a user name', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::IAM::User', id: 'eng/alice' } }))).rejects.toThrow(
      /expected an IAM user name/,
    );
    expect(iam.calls()).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ remove: 'false' }).success).toBe(false);
  });
});
