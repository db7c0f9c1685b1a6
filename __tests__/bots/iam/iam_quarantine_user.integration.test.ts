import { CreateUserCommand, GetUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import bot, { QUARANTINE_POLICY } from '../../../bots/iam/iam_quarantine_user';
import { parsePolicyDocument } from '../../../bots/iam/inline-policy';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('iam_quarantine_user against moto', () => {
  it('quarantines a user with a path in a member account, then reports already-compliant', async () => {
    const account = '222222222222';
    const admin = await memberSession(account);
    await admin.client(IAMClient).send(new CreateUserCommand({ UserName: 'mallory', Path: '/contractors/' }));

    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: 'mallory' }),
    );
    const resource = { type: 'AWS::IAM::User', id: 'mallory' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const stored = await admin
      .client(IAMClient)
      .send(new GetUserPolicyCommand({ UserName: 'mallory', PolicyName: 'cloudmend-quarantine' }));
    expect(parsePolicyDocument(stored.PolicyDocument!)).toEqual(QUARANTINE_POLICY);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
