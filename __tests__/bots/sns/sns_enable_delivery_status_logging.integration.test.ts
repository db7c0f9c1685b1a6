/**
 * moto 5.2.1 stores the delivery status attributes SetTopicAttributes sets but
 * GetTopicAttributes never returns them, so they cannot be read back, a second
 * run cannot see them (it would log again) and undo cannot check them: the unit
 * tests carry those. Here: the role is created as specified, reused by a second
 * topic, and every attribute is sent through the session narrowed to that role.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/sns/sns_enable_delivery_status_logging';
import { feedbackPermissionPolicy } from '../../../bots/sns/feedback-role';
import type { DerivedIds } from '../../../bots/types';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION } from '../../support/undo-through-session';

describeMoto('sns_enable_delivery_status_logging against moto', () => {
  const scope = (topic: string, derived?: DerivedIds) => ({
    partition: 'aws',
    account: MEMBER,
    region: REGION,
    resourceId: topic,
    ...(derived ? { derived } : {}),
  });

  it('creates the logging role once, bounded and trusted by SNS only, and reuses it for the next topic', async () => {
    const admin = await memberSession(MEMBER, REGION);
    await admin.client(SNSClient).send(new CreateTopicCommand({ Name: 'quiet-alerts' }));
    await admin.client(SNSClient).send(new CreateTopicCommand({ Name: 'quiet-billing' }));

    const run = async (topic: string) => {
      const session = await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, scope(topic)));
      const narrowed: DerivedIds[] = [];
      const result = await bot.run(
        botContext(bot, {
          resource: { type: 'AWS::SNS::Topic', id: topic },
          client: session.client,
          params: { protocols: 'sqs,lambda' },
          onNarrow: (ids) => narrowed.push(ids),
          narrowClient: async (ids) => (await memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, scope(topic, ids)))).client,
        }),
      );
      return { result, narrowed };
    };

    const first = await run('quiet-alerts');
    expect(first.result.status).toBe('remediated');
    expect(first.result.changes.map((c) => c.action)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy', 'sns:SetTopicAttributes']);
    expect(first.narrowed).toEqual([{ roleName: ['cloudmend-sns-delivery-status'] }]);

    const iam = admin.client(IAMClient);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'cloudmend-sns-delivery-status' }));
    expect(Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    );
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'sns.amazonaws.com' } })]);
    const inline = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'cloudmend-sns-delivery-status', PolicyName: 'cloudmend-sns-delivery-status-logs' }),
    );
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!))).toEqual(feedbackPermissionPolicy('aws', MEMBER));

    const second = await run('quiet-billing');
    expect(second.result.changes.map((c) => c.action)).toEqual(['sns:SetTopicAttributes']);
  });
});
