/**
 * Flow logs for several VPCs of one account at once share one delivery role;
 * two findings for the same VPC make one flow log; a lost response to a create
 * retried by the SDK into "already exists" is no failure. Against moto.
 */
import { CreateVpcCommand, DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import bot from '../../../bots/vpc/vpc_turn_on_flow_logs';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { losingFirstResponses, withSdkRetries } from '../../support/lost-response';
import { describeMoto, memberSession } from '../../support/moto';

const account = '222222222222';
const region = 'us-east-1';

describeMoto('vpc_turn_on_flow_logs: races and lost responses against moto', () => {
  withSdkRetries();
  const sessionFor = (vpc: string) =>
    memberSession(account, region, sessionPolicyFor(bot.meta, { partition: 'aws', account, region, resourceId: vpc }));

  async function newVpc(): Promise<string> {
    const admin = await memberSession(account);
    return (await admin.client(EC2Client).send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  }

  async function flowLogsOf(vpc: string) {
    const admin = await memberSession(account);
    return (
      (await admin.client(EC2Client).send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpc] }] }))).FlowLogs ?? []
    );
  }

  async function deliveryRoles() {
    const admin = await memberSession(account);
    return ((await admin.client(IAMClient).send(new ListRolesCommand({}))).Roles ?? []).filter(
      (r) => r.RoleName === 'cloudmend-vpc-flow-logs',
    );
  }

  it('turns on flow logs for three VPCs at once through one delivery role, created by exactly one run', async () => {
    const vpcs = [await newVpc(), await newVpc(), await newVpc()];
    const results = await Promise.all(
      vpcs.map(async (vpc) =>
        bot.run(botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: vpc }, client: (await sessionFor(vpc)).client })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['remediated', 'remediated', 'remediated']);
    expect(results.filter((r) => r.changes.some((c) => c.action === 'iam:CreateRole'))).toHaveLength(1);
    expect(await deliveryRoles()).toHaveLength(1);
    for (const vpc of vpcs) expect(await flowLogsOf(vpc)).toHaveLength(1);
  });

  it('makes one flow log when two findings for the same VPC run at once; neither fails', async () => {
    const vpc = await newVpc();
    const session = await sessionFor(vpc);
    const results = await Promise.all(
      ['f-1', 'f-2'].map((id) =>
        bot.run(botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: vpc }, client: session.client, finding: { id } })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining(['remediated']));
    expect(results.filter((r) => r.changes.some((c) => c.action === 'ec2:CreateFlowLogs'))).toHaveLength(1);
    expect(await flowLogsOf(vpc)).toHaveLength(1);
  });

  it('survives a lost response to each create (role, log group, flow log): one of each, and the flow log on', async () => {
    const vpc = await newVpc();
    const session = await sessionFor(vpc);
    const lossy = losingFirstResponses(session.client, ['CreateRoleCommand', 'CreateLogGroupCommand', 'CreateFlowLogsCommand']);

    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: vpc }, client: lossy.client }));

    expect(lossy.dropped).toEqual(['CreateRoleCommand', 'CreateLogGroupCommand', 'CreateFlowLogsCommand']);
    expect(['remediated', 'already-compliant']).toContain(result.status);
    expect(await deliveryRoles()).toHaveLength(1);
    const admin = await memberSession(account);
    const { logGroups = [] } = await admin
      .client(CloudWatchLogsClient)
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/cloudmend/vpc-flow-logs/${vpc}` }));
    expect(logGroups).toHaveLength(1);
    expect(await flowLogsOf(vpc)).toEqual([expect.objectContaining({ FlowLogStatus: 'ACTIVE', TrafficType: 'ALL' })]);
  });

  it('creates nothing for a VPC that does not exist', async () => {
    const ghost = 'vpc-0123456789abcdef0';
    const session = await sessionFor(ghost);
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: ghost }, client: session.client }))).rejects.toThrow(
      /does not exist .* nothing was created/,
    );
    expect(await deliveryRoles()).toHaveLength(0);
  });
});
