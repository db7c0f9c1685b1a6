import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_subnet_disable_public_ip_auto_assign';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession } from './moto-seed';
import { prepareUndoState, remediate, undoThroughCli } from '../../support/undo-through-session';

async function publicSubnet(admin: EC2Client): Promise<string> {
  const vpcId = (await admin.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await admin.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.3.1.0/24' }))).Subnet!.SubnetId!;
  await admin.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }));
  return subnetId;
}

async function mapsPublicIp(admin: EC2Client, subnetId: string) {
  return (await admin.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!.MapPublicIpOnLaunch;
}

describeMoto('ec2_subnet_disable_public_ip_auto_assign against moto', () => {
  it('turns off public IP auto-assignment on a member subnet, then reports already-compliant', async () => {
    const admin = await adminEc2();
    const subnetId = await publicSubnet(admin);
    const session = await botSession(bot, subnetId);
    const resource = { type: 'AWS::EC2::Subnet', id: subnetId };

    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');
    expect(await mapsPublicIp(admin, subnetId)).toBe(false);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });

  it('remediate, then undo: auto-assignment on again', async () => {
    await prepareUndoState();
    const admin = await adminEc2();
    const subnetId = await publicSubnet(admin);
    const outcome = await remediate(bot, 'AWS::EC2::Subnet', subnetId);
    expect(outcome.result?.status).toBe('remediated');
    expect((await undoThroughCli(outcome.resultId!)).code).toBe(0);
    expect(await mapsPublicIp(admin, subnetId)).toBe(true);
  });
});
