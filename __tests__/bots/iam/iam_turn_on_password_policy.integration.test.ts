import { GetAccountPasswordPolicyCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_turn_on_password_policy';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { cisRequest } from './iam_turn_on_password_policy.fixtures';

describeMoto('iam_turn_on_password_policy against moto', () => {
  it('tightens a weak policy in a member account, keeping its stricter length, then reports already-compliant', async () => {
    const accountId = '222222222222';
    const admin = await memberSession(accountId);
    await admin.client(IAMClient).send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 20, RequireNumbers: true }));

    const session = await memberSession(
      accountId,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account: accountId, region: 'us-east-1', resourceId: accountId }),
    );
    const resource = { type: 'AWS::::Account', id: accountId };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const { PasswordPolicy } = await admin.client(IAMClient).send(new GetAccountPasswordPolicyCommand({}));
    expect(PasswordPolicy).toMatchObject({ ...cisRequest, MinimumPasswordLength: 20, ExpirePasswords: true });

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('creates the policy in an account that has none', async () => {
    const accountId = '222222222222';
    const session = await memberSession(accountId);
    const first = await bot.run(botContext(bot, { resource: { type: 'AWS::::Account', id: accountId }, client: session.client }));
    expect(first.message).toBe(`created the password policy of account ${accountId}`);
    const { PasswordPolicy } = await session.client(IAMClient).send(new GetAccountPasswordPolicyCommand({}));
    expect(PasswordPolicy).toMatchObject(cisRequest);
  });
});
