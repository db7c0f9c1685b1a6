import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  DeleteInternetGatewayCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import bot, { STOP_WAIT } from '../../../bots/vpc/igw_delete';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const vpcId = 'vpc-0123456789abcdef0';
const gatewayId = 'igw-0123456789abcdef0';
const resource = { type: 'AWS::EC2::VPC', id: vpcId };
const gateway = { InternetGatewayId: gatewayId, Attachments: [{ VpcId: vpcId, State: 'attached' as const }] };
const web = { InstanceId: 'i-0aaaaaaaaaaaaaaaa', State: { Name: 'running' as const }, PublicIpAddress: '54.1.2.3' };
const eip = {
  InstanceId: 'i-0bbbbbbbbbbbbbbbb',
  State: { Name: 'running' as const },
  NetworkInterfaces: [{ Association: { PublicIp: '3.3.3.3' } }],
};
const internal = { InstanceId: 'i-0cccccccccccccccc', State: { Name: 'running' as const }, NetworkInterfaces: [{}] };

describe('igw_delete', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [gateway] });
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [web, eip, internal] }] })
      .resolves({ Reservations: [{ Instances: [internal] }] });
    ec2.on(StopInstancesCommand).resolves({});
    ec2.on(DetachInternetGatewayCommand).resolves({});
    ec2.on(DeleteInternetGatewayCommand).resolves({});
  });
  afterAll(() => ec2.restore());

  it('stops the instances with public IPs, waits, detaches and deletes the gateway, all narrowed to what it read', async () => {
    const narrowed: unknown[] = [];
    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));
    expect(ec2.commandCalls(DescribeInternetGatewaysCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }],
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input).toEqual({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping'] },
      ],
    });
    expect(narrowed).toEqual([{ internetGatewayId: [gatewayId], vpcId: [vpcId], instanceId: [web.InstanceId, eip.InstanceId] }]);
    expect(ec2.commandCalls(StopInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: [web.InstanceId, eip.InstanceId] });
    expect(ec2.commandCalls(DetachInternetGatewayCommand)[0]!.args[0].input).toEqual({ InternetGatewayId: gatewayId, VpcId: vpcId });
    expect(ec2.commandCalls(DeleteInternetGatewayCommand)[0]!.args[0].input).toEqual({ InternetGatewayId: gatewayId });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(
      `deleted internet gateway ${gatewayId} of ${vpcId}; stopped ${web.InstanceId}, ${eip.InstanceId} first (start them by hand when wanted)`,
    );
  });

  it('takes the gateway itself as the resource', async () => {
    await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::InternetGateway', id: gatewayId } }));
    expect(ec2.commandCalls(DescribeInternetGatewaysCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'internet-gateway-id', Values: [gatewayId] }],
    });
    expect(ec2.commandCalls(DeleteInternetGatewayCommand)).toHaveLength(1);
  });

  it('deletes a detached gateway without stopping anything', async () => {
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{ InternetGatewayId: gatewayId, Attachments: [] }] });
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::InternetGateway', id: gatewayId } }));
    expect(result.changes.map((c) => c.action)).toEqual(['ec2:DeleteInternetGateway']);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });

  it('is already compliant when the VPC has no gateway', async () => {
    ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [] });
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'already-compliant',
      message: `VPC ${vpcId} has no internet gateway`,
      changes: [],
    });
  });

  it('says what else holds a public IP when EC2 refuses the detach', async () => {
    ec2.on(DetachInternetGatewayCommand).rejects(awsError('DependencyViolation', 'Network vpc has some mapped public address(es)'));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/something else in the VPC still has a public IP/);
    expect(ec2.commandCalls(DeleteInternetGatewayCommand)).toHaveLength(0);
  });

  it('gives up, gateway attached, when the instances do not stop in time', async () => {
    const saved = { ...STOP_WAIT };
    Object.assign(STOP_WAIT, { attempts: 2, delayMs: 1 });
    try {
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [web] }] });
      await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/did not stop in time/);
      expect(ec2.commandCalls(DetachInternetGatewayCommand)).toHaveLength(0);
    } finally {
      Object.assign(STOP_WAIT, saved);
    }
  });

  it('in dry run reports the stop, detach and delete and writes nothing', async () => {
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['ec2:StopInstances', false],
      ['ec2:DetachInternetGateway', false],
      ['ec2:DeleteInternetGateway', false],
    ]);
    const sent = ec2.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(sent.filter((name) => /^(Stop|Detach|Delete)/.test(name))).toEqual([]);
  });

  it('is destructive, irreversible under undo, and refuses other ids', async () => {
    expect(bot.meta.destructive).toBe(true);
    expect(Object.values(bot.meta.undo ?? {}).every((kind) => !kind.reversible)).toBe(true);
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: 'subnet-0123456789abcdef0' } }))).rejects.toThrow(
      /neither a VPC id/,
    );
  });
});
