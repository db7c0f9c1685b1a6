import {
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import bot, { ENFORCE_MFA_POLICY } from '../../../bots/iam/iam_user_enforce_mfa';
import { parsePolicyDocument } from '../../../bots/iam/inline-policy';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('iam_user_enforce_mfa against moto', () => {
  it('attaches the policy while the user has no MFA, and removes it once they enrol a device', async () => {
    const account = '222222222222';
    const admin = await memberSession(account);
    const adminIam = admin.client(IAMClient);
    await adminIam.send(new CreateUserCommand({ UserName: 'carol' }));

    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: 'carol' }),
    );
    const resource = { type: 'AWS::IAM::User', id: 'carol' };
    const run = () => bot.run(botContext(bot, { resource, client: session.client }));

    expect((await run()).status).toBe('remediated');
    const stored = await adminIam.send(new GetUserPolicyCommand({ UserName: 'carol', PolicyName: 'cloudmend-enforce-mfa' }));
    expect(parsePolicyDocument(stored.PolicyDocument!)).toEqual(ENFORCE_MFA_POLICY);
    expect((await run()).status).toBe('already-compliant');

    const { VirtualMFADevice } = await adminIam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'carol' }));
    await adminIam.send(
      new EnableMFADeviceCommand({
        UserName: 'carol',
        SerialNumber: VirtualMFADevice!.SerialNumber!,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '654321',
      }),
    );

    const afterEnrolment = await run();
    expect(afterEnrolment.status).toBe('remediated');
    expect(afterEnrolment.changes).toEqual([expect.objectContaining({ action: 'iam:DeleteUserPolicy' })]);
    const left = await adminIam.send(new ListUserPoliciesCommand({ UserName: 'carol' }));
    expect(left.PolicyNames).toEqual([]);
    expect((await run()).status).toBe('already-compliant');
  });
});
