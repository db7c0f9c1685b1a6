import { CreateVpcCommand, DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/vpc/vpc_turn_on_flow_logs';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
const account = '222222222222';
const roleArn = `arn:aws:iam::${account}:role/cloudmend-vpc-flow-logs`;
const boundary = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';

describeMoto('vpc_turn_on_flow_logs against moto', () => {
  const region = 'us-east-1';
  const sessionFor = (vpc: string) =>
    memberSession(account, region, sessionPolicyFor(bot.meta, { partition: 'aws', account, region, resourceId: vpc }));

  async function seedVpc(): Promise<{ admin: Awaited<ReturnType<typeof memberSession>>; vpc: string }> {
    const admin = await memberSession(account);
    const vpc = (await admin.client(EC2Client).send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    return { admin, vpc };
  }

  it('turns on flow logs to a new log group through a new delivery role, reuses the role for the next VPC, then reports already-compliant', async () => {
    const { admin, vpc } = await seedVpc();
    const session = await sessionFor(vpc);
    const target = { type: 'AWS::EC2::VPC', id: vpc };

    const first = await bot.run(botContext(bot, { resource: target, client: session.client }));
    expect(first.status).toBe('remediated');

    const { FlowLogs } = await admin
      .client(EC2Client)
      .send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpc] }] }));
    expect(FlowLogs).toEqual([
      expect.objectContaining({
        FlowLogStatus: 'ACTIVE',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        DeliverLogsPermissionArn: roleArn,
        Tags: [{ Key: 'cloudmend:created-by', Value: 'vpc_turn_on_flow_logs' }],
      }),
    ]);
    const role = await admin.client(IAMClient).send(new GetRoleCommand({ RoleName: 'cloudmend-vpc-flow-logs' }));
    expect(role.Role!.Arn).toBe(roleArn);
    expect(role.Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(boundary);
    const { logGroups } = await admin
      .client(CloudWatchLogsClient)
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/cloudmend/vpc-flow-logs/${vpc}` }));
    expect(logGroups!.map((g) => g.logGroupName)).toEqual([`/cloudmend/vpc-flow-logs/${vpc}`]);

    const second = await bot.run(botContext(bot, { resource: target, client: session.client }));
    expect(second.status).toBe('already-compliant');

    const { vpc: other } = await seedVpc();
    const next = await bot.run(
      botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: other }, client: (await sessionFor(other)).client }),
    );
    expect(next.changes.map((c) => c.action)).toEqual(['logs:CreateLogGroup', 'ec2:CreateFlowLogs']);
  });

  it('turns on flow logs to an S3 bucket', async () => {
    const { admin, vpc } = await seedVpc();
    await admin.client(S3Client).send(new CreateBucketCommand({ Bucket: 'org-flow-logs' }));
    const session = await sessionFor(vpc);
    const target = { type: 'AWS::EC2::VPC', id: vpc };
    // moto 5.2.1 looks a folder up as part of the bucket name, so this test delivers to the bucket root.
    const params = { destination: 's3', s3_arn: 'arn:aws:s3:::org-flow-logs', traffic_type: 'reject' };

    const first = await bot.run(botContext(bot, { resource: target, params, client: session.client }));
    expect(first.status).toBe('remediated');
    const { FlowLogs } = await admin
      .client(EC2Client)
      .send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpc] }] }));
    expect(FlowLogs).toEqual([
      expect.objectContaining({ TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::org-flow-logs' }),
    ]);

    const second = await bot.run(botContext(bot, { resource: target, params, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
