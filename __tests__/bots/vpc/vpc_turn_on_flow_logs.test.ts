import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { CreateFlowLogsCommand, DescribeFlowLogsCommand, DescribeVpcsCommand, EC2Client, type FlowLog } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import bot, { flowLogToken } from '../../../bots/vpc/vpc_turn_on_flow_logs';
import { deliveryPermissionPolicy, deliveryTrustPolicy } from '../../../bots/vpc/flow-log-delivery';
import { appliedChangesIn } from '../../../bots/changes';
import { classifyError } from '../../../handler/errors';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const vpcId = 'vpc-0123456789abcdef0';
const resource = { type: 'AWS::EC2::VPC', id: vpcId };
const account = '222222222222';
const roleArn = `arn:aws:iam::${account}:role/cloudmend-vpc-flow-logs`;
const groupName = `/cloudmend/vpc-flow-logs/${vpcId}`;
const groupArn = `arn:aws:logs:us-east-1:${account}:log-group:${groupName}`;
const boundary = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';
const tagSpecifications = [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'cloudmend:created-by', Value: 'vpc_turn_on_flow_logs' }] }];

function named(name: string, message = name): Error {
  return awsError(name, message);
}

describe('vpc_turn_on_flow_logs', () => {
  // Stubbed in beforeAll, not at collection, so a run filtered to the moto tests (-t) never sees these stubs.
  let ec2: AwsClientStub<EC2Client>;
  let iam: AwsClientStub<IAMClient>;
  let logs: AwsClientStub<CloudWatchLogsClient>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
    iam = mockClient(IAMClient);
    logs = mockClient(CloudWatchLogsClient);
  });
  const writes = () => [
    ...ec2.commandCalls(CreateFlowLogsCommand),
    ...iam.commandCalls(CreateRoleCommand),
    ...iam.commandCalls(PutRolePolicyCommand),
    ...logs.commandCalls(CreateLogGroupCommand),
  ];

  beforeEach(() => {
    ec2.reset();
    iam.reset();
    logs.reset();
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: vpcId }] });
    ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [] });
    ec2.on(CreateFlowLogsCommand).resolves({ FlowLogIds: ['fl-0new'], Unsuccessful: [] });
    iam.on(GetRoleCommand).rejects(named('NoSuchEntityException', 'The role with name cloudmend-vpc-flow-logs cannot be found.'));
    iam.on(CreateRoleCommand).resolves({ Role: { Arn: roleArn } as never });
    iam.on(PutRolePolicyCommand).resolves({});
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    logs.on(CreateLogGroupCommand).resolves({});
  });
  afterAll(() => {
    ec2.restore();
    iam.restore();
    logs.restore();
  });

  describe('to CloudWatch Logs (the default)', () => {
    it('creates the delivery role, its policy, the VPC log group and the flow log, in that order', async () => {
      const result = await bot.run(botContext(bot, { resource }));

      expect(ec2.commandCalls(DescribeFlowLogsCommand)[0]!.args[0].input).toEqual({ Filter: [{ Name: 'resource-id', Values: [vpcId] }] });
      expect(iam.commandCalls(GetRoleCommand)[0]!.args[0].input).toEqual({ RoleName: 'cloudmend-vpc-flow-logs' });
      const createRole = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
      expect({ ...createRole, AssumeRolePolicyDocument: JSON.parse(createRole.AssumeRolePolicyDocument!) }).toEqual({
        RoleName: 'cloudmend-vpc-flow-logs',
        AssumeRolePolicyDocument: deliveryTrustPolicy('aws', account),
        Description: 'Lets VPC flow logs write to cloudmend flow log groups (created by cloudmend)',
        PermissionsBoundary: boundary,
        Tags: [{ Key: 'cloudmend:created-by', Value: 'vpc_turn_on_flow_logs' }],
      });
      const putPolicy = iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input;
      expect({ ...putPolicy, PolicyDocument: JSON.parse(putPolicy.PolicyDocument!) }).toEqual({
        RoleName: 'cloudmend-vpc-flow-logs',
        PolicyName: 'cloudmend-vpc-flow-logs-delivery',
        PolicyDocument: deliveryPermissionPolicy('aws', account),
      });
      expect(logs.commandCalls(DescribeLogGroupsCommand)[0]!.args[0].input).toEqual({ logGroupNamePrefix: groupName });
      expect(logs.commandCalls(CreateLogGroupCommand)[0]!.args[0].input).toEqual({
        logGroupName: groupName,
        tags: { 'cloudmend:created-by': 'vpc_turn_on_flow_logs' },
      });
      expect(ec2.commandCalls(CreateFlowLogsCommand)[0]!.args[0].input).toEqual({
        ResourceType: 'VPC',
        ResourceIds: [vpcId],
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogDestination: groupArn,
        DeliverLogsPermissionArn: roleArn,
        TagSpecifications: tagSpecifications,
        ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(result.status).toBe('remediated');
      expect(result.changes.map((c) => [c.action, c.target, c.applied])).toEqual([
        ['iam:CreateRole', roleArn, true],
        ['iam:PutRolePolicy', roleArn, true],
        ['logs:CreateLogGroup', groupArn, true],
        ['ec2:CreateFlowLogs', `arn:aws:ec2:us-east-1:${account}:vpc/${vpcId}`, true],
      ]);
      // Undo deletes exactly the flow log made (its id, known once created); the role and log group are left.
      expect(result.changes.map((c) => c.undo)).toEqual([
        { kind: 'flow-log-delivery-setup', before: null, after: null },
        { kind: 'flow-log-delivery-setup', before: null, after: null },
        { kind: 'flow-log-delivery-setup', before: null, after: null },
        { kind: 'flow-log', before: null, after: { flowLogId: 'fl-0new' }, ids: { flowLogId: ['fl-0new'] } },
      ]);
      expect(result.message).toBe(`turned on flow logs (ALL) for VPC ${vpcId} to cloud-watch-logs ${groupArn}`);
    });

    it('reuses the role and log group a previous run created, checking the role policy', async () => {
      iam.on(GetRoleCommand).resolves({
        Role: {
          RoleName: 'cloudmend-vpc-flow-logs',
          Arn: roleArn,
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(deliveryTrustPolicy('aws', account))),
        } as never,
      });
      iam
        .on(GetRolePolicyCommand)
        .resolves({ PolicyDocument: encodeURIComponent(JSON.stringify(deliveryPermissionPolicy('aws', account))) } as never);
      logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: groupName }] });

      const result = await bot.run(botContext(bot, { resource, params: { traffic_type: 'reject' } }));

      expect(iam.commandCalls(GetRolePolicyCommand)[0]!.args[0].input).toEqual({
        RoleName: 'cloudmend-vpc-flow-logs',
        PolicyName: 'cloudmend-vpc-flow-logs-delivery',
      });
      expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
      expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
      expect(logs.commandCalls(CreateLogGroupCommand)).toHaveLength(0);
      expect(ec2.commandCalls(CreateFlowLogsCommand)[0]!.args[0].input).toMatchObject({
        TrafficType: 'REJECT',
        DeliverLogsPermissionArn: roleArn,
      });
      expect(result.changes.map((c) => c.action)).toEqual(['ec2:CreateFlowLogs']);
    });

    it('does not take a log group whose name only starts like the VPC one', async () => {
      logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: `${groupName}-old` }] });
      await bot.run(botContext(bot, { resource }));
      expect(logs.commandCalls(CreateLogGroupCommand)).toHaveLength(1);
    });

    it('puts the inline policy back when it is missing or was changed, and says which', async () => {
      iam.on(GetRoleCommand).resolves({
        Role: {
          AssumeRolePolicyDocument: JSON.stringify(deliveryTrustPolicy('aws', account)),
          PermissionsBoundary: { PermissionsBoundaryArn: boundary },
        } as never,
      });
      logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: groupName }] });

      iam.on(GetRolePolicyCommand).rejects(named('NoSuchEntityException'));
      const missing = await bot.run(botContext(bot, { resource }));
      expect(missing.changes[0]).toMatchObject({ action: 'iam:PutRolePolicy' });
      expect(missing.changes[0]!.description).toMatch(/^put inline policy/);

      iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) } as never);
      const drifted = await bot.run(botContext(bot, { resource }));
      expect(drifted.changes[0]!.description).toMatch(/^restored inline policy/);
      expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(2);
    });

    it('refuses to edit the policy of a role without the boundary (its permissions would deny it), and says how to fix it', async () => {
      iam.on(GetRoleCommand).resolves({ Role: { AssumeRolePolicyDocument: JSON.stringify(deliveryTrustPolicy('aws', account)) } as never });
      iam.on(GetRolePolicyCommand).rejects(named('NoSuchEntityException'));
      await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(
        /lacks the permissions boundary .*AmazonAPIGatewayPushToCloudWatchLogs.*delete the role/,
      );
      expect(writes()).toHaveLength(0);
    });

    it('reuses a role without the boundary as long as its policy is intact', async () => {
      iam.on(GetRoleCommand).resolves({ Role: { AssumeRolePolicyDocument: JSON.stringify(deliveryTrustPolicy('aws', account)) } as never });
      iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: JSON.stringify(deliveryPermissionPolicy('aws', account)) } as never);
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.status).toBe('remediated');
      expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
    });

    it('may create the role and write its policy only under the CloudWatch-Logs-only boundary', () => {
      const guarded = bot.meta.permissions.find((p) => p.actions.includes('iam:CreateRole'))!;
      expect(guarded.actions).toEqual(['iam:CreateRole', 'iam:PutRolePolicy']);
      expect(guarded.conditions).toEqual({
        ArnLike: { 'iam:PermissionsBoundary': 'arn:*:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs' },
      });
    });

    it('refuses to use a role of that name the flow logs service cannot assume, and writes nothing', async () => {
      iam.on(GetRoleCommand).resolves({
        Role: {
          AssumeRolePolicyDocument: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::999999999999:root' } }],
          }),
        } as never,
      });
      await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/cloudmend-vpc-flow-logs exists .* cannot assume it/);
      expect(writes()).toHaveLength(0);
    });

    it('lets IAM errors other than a missing role propagate', async () => {
      iam.on(GetRoleCommand).rejects(named('AccessDenied', 'not allowed'));
      await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('not allowed');
      expect(writes()).toHaveLength(0);
    });

    it('uses a log group another run created a moment ago, read back, and does not report it as its own', async () => {
      logs.on(CreateLogGroupCommand).rejects(named('ResourceAlreadyExistsException'));
      logs
        .on(DescribeLogGroupsCommand)
        .resolvesOnce({ logGroups: [] })
        .resolves({ logGroups: [{ logGroupName: groupName }] });
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.status).toBe('remediated');
      expect(result.changes.map((c) => c.action)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy', 'ec2:CreateFlowLogs']);
      expect(ec2.commandCalls(CreateFlowLogsCommand)[0]!.args[0].input.LogDestination).toBe(groupArn);
    });

    it('fails retryably, creating no flow log, when a log group said to exist cannot be read back', async () => {
      logs.on(CreateLogGroupCommand).rejects(named('ResourceAlreadyExistsException'));
      const ctx = botContext(bot, { resource });
      const error = await bot.run(ctx).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ConflictingCreate', $retryable: {} });
      expect(classifyError(error).retryable).toBe(true);
      expect(ec2.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
      // The role it did create is still reported.
      expect(appliedChangesIn(ctx).map((c) => c.action)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy']);
    });

    it('uses the delivery role another run created between its read and its create, after checking its trust policy', async () => {
      iam.on(CreateRoleCommand).rejects(named('EntityAlreadyExistsException'));
      iam
        .on(GetRoleCommand)
        .rejectsOnce(named('NoSuchEntityException'))
        .resolves({
          Role: {
            RoleName: 'cloudmend-vpc-flow-logs',
            Arn: roleArn,
            AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(deliveryTrustPolicy('aws', account))),
            PermissionsBoundary: { PermissionsBoundaryArn: boundary, PermissionsBoundaryType: 'Policy' },
          } as never,
        });
      iam
        .on(GetRolePolicyCommand)
        .resolves({ PolicyDocument: encodeURIComponent(JSON.stringify(deliveryPermissionPolicy('aws', account))) } as never);
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.changes.map((c) => c.action)).toEqual(['logs:CreateLogGroup', 'ec2:CreateFlowLogs']);
      expect(ec2.commandCalls(CreateFlowLogsCommand)[0]!.args[0].input.DeliverLogsPermissionArn).toBe(roleArn);
    });

    it('refuses a delivery role another run created that the flow logs service cannot assume', async () => {
      iam.on(CreateRoleCommand).rejects(named('EntityAlreadyExistsException'));
      iam
        .on(GetRoleCommand)
        .rejectsOnce(named('NoSuchEntityException'))
        .resolves({ Role: { RoleName: 'cloudmend-vpc-flow-logs', AssumeRolePolicyDocument: JSON.stringify({ Statement: [] }) } as never });
      await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/cannot assume it/);
      expect(ec2.commandCalls(CreateFlowLogsCommand)).toHaveLength(0);
    });
  });

  describe('races, lost responses and a missing VPC', () => {
    it('checks the VPC first: a VPC that is gone leaves no role, log group or flow log behind', async () => {
      ec2.on(DescribeVpcsCommand).rejects(named('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`));
      await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(
        `VPC ${vpcId} does not exist in account ${account} (us-east-1); nothing was created`,
      );
      expect(writes()).toHaveLength(0);
      expect(iam.calls()).toHaveLength(0);
      expect(logs.calls()).toHaveLength(0);
    });

    it('sends the same ClientToken for every attempt at one finding, another for another finding', async () => {
      await bot.run(botContext(bot, { resource, finding: { id: 'f-1' } }));
      await bot.run(botContext(bot, { resource, finding: { id: 'f-1' } }));
      await bot.run(botContext(bot, { resource, finding: { id: 'f-2' } }));
      const tokens = ec2.commandCalls(CreateFlowLogsCommand).map((c) => c.args[0].input.ClientToken);
      expect(tokens[0]).toBe(tokens[1]);
      expect(tokens[2]).not.toBe(tokens[0]);
      expect(tokens[0]).toBe(flowLogToken('f-1', vpcId, 'ALL', groupArn));
    });

    it('takes a flow log another run created meanwhile as done, not as its own change, once it reads it back', async () => {
      const theirs: FlowLog = {
        FlowLogId: 'fl-theirs',
        FlowLogStatus: 'ACTIVE',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
      };
      ec2
        .on(DescribeFlowLogsCommand)
        .resolvesOnce({ FlowLogs: [] })
        .resolves({ FlowLogs: [theirs] });
      ec2.on(CreateFlowLogsCommand).resolves({
        FlowLogIds: [],
        Unsuccessful: [{ ResourceId: vpcId, Error: { Code: 'FlowLogAlreadyExists', Message: 'already exists' } }],
      });
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.status).toBe('remediated');
      expect(result.changes.map((c) => c.action)).toEqual(['iam:CreateRole', 'iam:PutRolePolicy', 'logs:CreateLogGroup']);
      expect(result.message).toMatch(/its flow log was created meanwhile by another run: fl-theirs/);
    });

    it('is already compliant when everything, the flow log included, was made by another run', async () => {
      iam.on(GetRoleCommand).resolves({
        Role: {
          RoleName: 'cloudmend-vpc-flow-logs',
          AssumeRolePolicyDocument: JSON.stringify(deliveryTrustPolicy('aws', account)),
          PermissionsBoundary: { PermissionsBoundaryArn: boundary, PermissionsBoundaryType: 'Policy' },
        } as never,
      });
      iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: JSON.stringify(deliveryPermissionPolicy('aws', account)) } as never);
      logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: groupName }] });
      const theirs: FlowLog = { FlowLogId: 'fl-theirs', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL' };
      ec2
        .on(DescribeFlowLogsCommand)
        .resolvesOnce({ FlowLogs: [] })
        .resolves({ FlowLogs: [theirs] });
      ec2.on(CreateFlowLogsCommand).rejects(named('FlowLogAlreadyExists'));
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.status).toBe('already-compliant');
      expect(result.message).toMatch(/created meanwhile by another run/);
    });

    it('fails retryably when the flow log said to exist does not capture the traffic asked for', async () => {
      ec2.on(CreateFlowLogsCommand).rejects(named('FlowLogAlreadyExists'));
      await expect(bot.run(botContext(bot, { resource }))).rejects.toMatchObject({ name: 'ConflictingCreate' });
    });
  });

  describe('to S3', () => {
    const s3_arn = 'arn:aws:s3:::org-log-archive/flow-logs/';

    it('creates the flow log to the bucket and needs no role or log group', async () => {
      const result = await bot.run(botContext(bot, { resource, params: { destination: 's3', s3_arn, traffic_type: 'accept' } }));
      expect(ec2.commandCalls(CreateFlowLogsCommand)[0]!.args[0].input).toEqual({
        ResourceType: 'VPC',
        ResourceIds: [vpcId],
        TrafficType: 'ACCEPT',
        LogDestinationType: 's3',
        LogDestination: s3_arn,
        TagSpecifications: tagSpecifications,
        ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(iam.calls()).toHaveLength(0);
      expect(logs.calls()).toHaveLength(0);
      expect(result.changes).toEqual([
        expect.objectContaining({ action: 'ec2:CreateFlowLogs', description: expect.stringContaining(s3_arn) }),
      ]);
    });

    it('refuses a bucket in another partition than the VPC', async () => {
      await expect(bot.run(botContext(bot, { resource, params: { destination: 's3', s3_arn: 'arn:aws-cn:s3:::bucket' } }))).rejects.toThrow(
        /not in partition aws/,
      );
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('already compliant', () => {
    it.each([
      [
        'all',
        [{ FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::x' }],
      ],
      ['reject', [{ FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL' }]],
      ['accept', [{ FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'ACCEPT' }]],
      [
        'all',
        [
          { FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'ACCEPT' },
          { FlowLogId: 'fl-2', FlowLogStatus: 'ACTIVE', TrafficType: 'REJECT' },
        ],
      ],
    ])('for traffic_type=%s with flow logs %j, writing nothing', async (traffic_type, FlowLogs) => {
      ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: FlowLogs as FlowLog[] });
      const result = await bot.run(botContext(bot, { resource, params: { traffic_type } }));
      expect(result.status).toBe('already-compliant');
      expect(result.message).toContain('fl-1');
      expect(writes()).toHaveLength(0);
      expect(iam.calls()).toHaveLength(0);
    });

    it('not for an ACCEPT log when REJECT is asked', async () => {
      ec2.on(DescribeFlowLogsCommand).resolves({ FlowLogs: [{ FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'ACCEPT' }] });
      const result = await bot.run(botContext(bot, { resource, params: { traffic_type: 'reject' } }));
      expect(result.status).toBe('remediated');
    });

    it('reads every page of flow logs', async () => {
      ec2
        .on(DescribeFlowLogsCommand)
        .resolvesOnce({ FlowLogs: [], NextToken: 'p2' })
        .resolvesOnce({ FlowLogs: [{ FlowLogId: 'fl-9', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL' }] });
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.status).toBe('already-compliant');
    });
  });

  it('fails, instead of reporting success, when CreateFlowLogs answers with an unsuccessful item', async () => {
    ec2.on(CreateFlowLogsCommand).resolves({
      FlowLogIds: [],
      Unsuccessful: [{ ResourceId: vpcId, Error: { Code: 'InvalidParameter', Message: 'Access Denied for LogDestination' } }],
    });
    await expect(bot.run(botContext(bot, { resource, params: { destination: 's3', s3_arn: 'arn:aws:s3:::flow-bucket' } }))).rejects.toThrow(
      `CreateFlowLogs did not create a flow log for ${vpcId}: InvalidParameter: Access Denied for LogDestination`,
    );
  });

  it('in dry run reads, reports every write it would make, and makes none', async () => {
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['iam:CreateRole', false],
      ['iam:PutRolePolicy', false],
      ['logs:CreateLogGroup', false],
      ['ec2:CreateFlowLogs', false],
    ]);
    expect(writes()).toHaveLength(0);
  });

  it('refuses a resource that is not a VPC id, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: 'subnet-0123456789abcdef0' } }))).rejects.toThrow(/not a VPC id/);
    expect(ec2.calls()).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: Record<string, unknown>) => bot.meta.params.safeParse(input);

    it('defaults to all traffic to CloudWatch Logs', () => {
      expect(parse({}).data).toEqual({ traffic_type: 'all', destination: 'logs' });
    });

    it('takes CloudBots forms, positional in CloudBots order and in any case', () => {
      expect(bot.meta.positional).toEqual(['traffic_type', 'destination', 's3_arn']);
      expect(parse({ traffic_type: 'All' }).data).toMatchObject({ traffic_type: 'all' });
      expect(parse({ traffic_type: 'REJECT', destination: 'S3', s3_arn: 'arn:aws:s3:::my-bucket/my-logs/' }).data).toEqual({
        traffic_type: 'reject',
        destination: 's3',
        s3_arn: 'arn:aws:s3:::my-bucket/my-logs/',
      });
    });

    it('rejects unknown traffic types, destinations and params', () => {
      expect(parse({ traffic_type: 'some' }).success).toBe(false);
      expect(parse({ destination: 'firehose' }).success).toBe(false);
      expect(parse({ log_group: 'x' }).success).toBe(false);
    });

    it('requires s3_arn for destination=s3, with a message that shows the form', () => {
      const result = parse({ destination: 's3' });
      expect(result.success).toBe(false);
      expect(result.error!.issues).toEqual([
        expect.objectContaining({ path: ['s3_arn'], message: expect.stringContaining('s3_arn is required when destination=s3') }),
      ]);
    });

    it('rejects s3_arn without destination=s3 rather than silently ignoring it', () => {
      const result = parse({ s3_arn: 'arn:aws:s3:::my-bucket' });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/only used with destination=s3/);
    });

    it('rejects an s3_arn that is not a bucket ARN', () => {
      for (const s3_arn of ['my-bucket', 'arn:aws:s3:::', 'arn:aws:iam::1:role/x', 'arn:aws:s3:::Bad_Bucket']) {
        expect(parse({ destination: 's3', s3_arn }).success).toBe(false);
      }
    });
  });
});
