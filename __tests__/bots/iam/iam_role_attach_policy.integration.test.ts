import { CreatePolicyCommand, CreateRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_role_attach_policy';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin, MEMBER } from './iam-test-support';

const DENY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describeMoto('iam_role_attach_policy against moto', () => {
  it('attaches the configured policy to the role, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'freeze', PolicyDocument: DENY }));
    const session = await botSession(bot, 'worker');
    const resource = { type: 'AWS::IAM::Role', id: `arn:aws:iam::${MEMBER}:role/worker` };
    const params = { policy_arn: Policy!.Arn! };

    const first = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(first.status).toBe('remediated');
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }))).AttachedPolicies!;
    expect(attached.map((p) => p.PolicyArn)).toEqual([Policy!.Arn]);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(second.status).toBe('already-compliant');
  });
});
