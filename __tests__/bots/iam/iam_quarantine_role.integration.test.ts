import { CreateRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_quarantine_role';
import { QUARANTINE_POLICY } from '../../../bots/iam/iam_quarantine_user';
import { parsePolicyDocument } from '../../../bots/iam/inline-policy';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './iam-test-support';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describeMoto('iam_quarantine_role against moto', () => {
  it('quarantines a role with a path, then reports already-compliant', async () => {
    const iam = (await memberAdmin()).client(IAMClient);
    await iam.send(new CreateRoleCommand({ RoleName: 'web-app', Path: '/apps/', AssumeRolePolicyDocument: trust }));
    const session = await botSession(bot, 'web-app');
    const resource = { type: 'AWS::IAM::Role', id: 'web-app' };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    const stored = await iam.send(new GetRolePolicyCommand({ RoleName: 'web-app', PolicyName: 'cloudmend-quarantine' }));
    expect(parsePolicyDocument(stored.PolicyDocument!)).toEqual(QUARANTINE_POLICY);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('leaves the role it runs as alone', async () => {
    const session = await botSession(bot, 'CloudmendRemediation');
    const result = await bot.run(
      botContext(bot, { resource: { type: 'AWS::IAM::Role', id: 'CloudmendRemediation' }, client: session.client }),
    );
    expect(result.status).toBe('skipped');
  });
});
