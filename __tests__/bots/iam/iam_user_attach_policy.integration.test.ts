import { CreatePolicyCommand, CreateUserCommand, IAMClient, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_attach_policy';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin, MEMBER } from './iam-test-support';

const DENY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] });

describeMoto('iam_user_attach_policy against moto', () => {
  it('attaches the configured customer policy, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'intern' }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'no-deletes', PolicyDocument: DENY }));
    const session = await botSession(bot, 'intern');
    const resource = { type: 'AWS::IAM::User', id: 'intern' };
    const params = { policy_arn: 'arn:aws:iam::$ACCOUNT_ID:policy/no-deletes' };

    const first = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(first.status).toBe('remediated');
    const attached = (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'intern' }))).AttachedPolicies!;
    expect(attached.map((p) => p.PolicyArn)).toEqual([`arn:aws:iam::${MEMBER}:policy/no-deletes`]);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(second.status).toBe('already-compliant');
  });
});
