import { mockClient } from 'aws-sdk-client-mock';
import { DescribeSubnetsCommand, EC2Client, ModifySubnetAttributeCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_subnet_disable_public_ip_auto_assign';
import { botContext, mockedClients } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Subnet', id: 'subnet-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1:222222222222:subnet/subnet-0123456789abcdef0';
const subnet = (MapPublicIpOnLaunch: boolean) => ({ Subnets: [{ SubnetId: 'subnet-0123456789abcdef0', MapPublicIpOnLaunch }] });

describe('ec2_subnet_disable_public_ip_auto_assign', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('turns MapPublicIpOnLaunch off', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnet(true));
    ec2.on(ModifySubnetAttributeCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input).toEqual({ SubnetIds: ['subnet-0123456789abcdef0'] });
    expect(ec2.commandCalls(ModifySubnetAttributeCommand)[0]!.args[0].input).toEqual({
      SubnetId: 'subnet-0123456789abcdef0',
      MapPublicIpOnLaunch: { Value: false },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'turned off public IPv4 auto-assignment on subnet-0123456789abcdef0',
      changes: [
        {
          action: 'ec2:ModifySubnetAttribute',
          target: ARN,
          description: 'MapPublicIpOnLaunch true -> false',
          applied: true,
          undo: { kind: 'map-public-ip-on-launch', before: { MapPublicIpOnLaunch: true }, after: { MapPublicIpOnLaunch: false } },
        },
      ],
    });
  });

  it('is already compliant when the subnet assigns no public IPs', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnet(false));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(ec2.commandCalls(ModifySubnetAttributeCommand)).toHaveLength(0);
  });

  it('in dry run writes nothing', async () => {
    ec2.on(DescribeSubnetsCommand).resolves(subnet(true));
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(ModifySubnetAttributeCommand)).toHaveLength(0);
  });

  it('fails clearly when the subnet does not exist', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('subnet subnet-0123456789abcdef0 not found');
  });

  it('refuses a finding that is not a subnet id, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::VPC', id: 'vpc-0123456789abcdef0' } }))).rejects.toThrow(
      "expected one of AWS::EC2::Subnet as the finding's resource",
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('undo reads the attribute and turns it back on', async () => {
    const undoer = bot.undoers!['map-public-ip-on-launch']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };
    ec2.on(DescribeSubnetsCommand).resolves(subnet(false));
    expect(await undoer.read(ctx)).toEqual({ MapPublicIpOnLaunch: false });
    await undoer.write(ctx, { MapPublicIpOnLaunch: true });
    expect(ec2.commandCalls(ModifySubnetAttributeCommand)[0]!.args[0].input).toEqual({
      SubnetId: 'subnet-0123456789abcdef0',
      MapPublicIpOnLaunch: { Value: true },
    });
  });
});
