import { CloudTrailClient, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/cloudtrail/cloudtrail_send_to_cloudwatch';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, MEMBER, memberAdmin, seedTrail } from './cloudtrail-test-support';

describeMoto('cloudtrail_send_to_cloudwatch against moto', () => {
  it('delivers a trail to the cloudmend log group through the bounded role, then reports already-compliant', async () => {
    const admin = await memberAdmin();
    await seedTrail(admin, 'audit');
    const session = await botSession(bot, 'audit');
    const resource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const trail = (await admin.client(CloudTrailClient).send(new GetTrailCommand({ Name: 'audit' }))).Trail!;
    expect(trail.CloudWatchLogsLogGroupArn).toBe(`arn:aws:logs:us-east-1:${MEMBER}:log-group:/cloudmend/cloudtrail:*`);
    expect(trail.CloudWatchLogsRoleArn).toBe(`arn:aws:iam::${MEMBER}:role/cloudmend-cloudtrail-to-cloudwatch`);
    const groups = (
      await admin.client(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cloudmend/cloudtrail' }))
    ).logGroups!;
    expect(groups.map((g) => g.logGroupName)).toEqual(['/cloudmend/cloudtrail']);
    const role = (await admin.client(IAMClient).send(new GetRoleCommand({ RoleName: 'cloudmend-cloudtrail-to-cloudwatch' }))).Role!;
    expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    );

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
