import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import bot from '../../../bots/cloudwatch/cloudwatch_create_metric_filter';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

const account = '222222222222';
const resource = { type: 'AWS::::Account', id: account };

describeMoto('cloudwatch_create_metric_filter against moto', () => {
  it("adds the CIS filters and alarms on the trail's log group and subscribes the address, then reports already-compliant", async () => {
    const admin = await memberSession(account);
    await admin.client(S3Client).send(new CreateBucketCommand({ Bucket: 'audit-logs' }));
    await admin.client(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/audit' }));
    await admin.client(CloudTrailClient).send(
      new CreateTrailCommand({
        Name: 'audit',
        S3BucketName: 'audit-logs',
        IsMultiRegionTrail: true,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${account}:log-group:CloudTrail/audit:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/trail-to-logs`,
      }),
    );
    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: account }),
    );
    const params = { email: 'secops@example.com' };

    const first = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(first.status).toBe('remediated');
    const filters = (await admin.client(CloudWatchLogsClient).send(new DescribeMetricFiltersCommand({ logGroupName: 'CloudTrail/audit' })))
      .metricFilters!;
    expect(filters).toHaveLength(14);
    const alarms = (await admin.client(CloudWatchClient).send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'cloudmend-cis-' })))
      .MetricAlarms!;
    expect(alarms).toHaveLength(14);
    const topic = `arn:aws:sns:us-east-1:${account}:cloudmend-cis-alarms`;
    const subscriptions = (await admin.client(SNSClient).send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions!;
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([['email', 'secops@example.com']]);

    const second = await bot.run(botContext(bot, { resource, client: session.client, params }));
    expect(second.status).toBe('already-compliant');
  });
});
