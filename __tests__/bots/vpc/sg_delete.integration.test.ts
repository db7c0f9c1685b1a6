import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_delete';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('sg_delete against moto', () => {
  const account = '222222222222';
  const policyFor = (resourceId: string) => sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId });

  async function seedVpc() {
    const admin = await memberSession(account);
    const ec2 = admin.client(EC2Client);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const create = async (name: string) =>
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
    return { ec2, vpcId, create };
  }

  async function exists(ec2: EC2Client, id: string): Promise<boolean> {
    try {
      await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'InvalidGroup.NotFound') return false;
      throw error;
    }
  }

  it('deletes an unused group in a member account, then reports already-compliant', async () => {
    const { ec2, create } = await seedVpc();
    const unused = await create('unused');
    const session = await memberSession(account, 'us-east-1', policyFor(unused));
    const target = { type: 'AWS::EC2::SecurityGroup', id: unused };

    const first = await bot.run(botContext(bot, { resource: target, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(await exists(ec2, unused)).toBe(false);

    const second = await bot.run(botContext(bot, { resource: target, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  // moto deletes used, referenced and default groups without complaint, so these refusals are the bot's own.
  it('leaves a group attached to a network interface', async () => {
    const { ec2, vpcId, create } = await seedVpc();
    const used = await create('used');
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [used] }))).NetworkInterface!;
    const session = await memberSession(account, 'us-east-1', policyFor(used));

    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: used }, client: session.client }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain(eni.NetworkInterfaceId!);
    expect(await exists(ec2, used)).toBe(true);
  });

  it('leaves a group another group references, and the default group', async () => {
    const { ec2, vpcId, create } = await seedVpc();
    const referenced = await create('referenced');
    const referrer = await create('referrer');
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: referrer,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: referenced }] }],
      }),
    );
    const session = await memberSession(account, 'us-east-1', policyFor(referenced));
    const result = await bot.run(
      botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: referenced }, client: session.client }),
    );
    expect(result.status).toBe('skipped');
    expect(result.message).toContain(`${referrer} (referrer)`);
    expect(await exists(ec2, referenced)).toBe(true);

    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    const defaultId = defaults.SecurityGroups![0]!.GroupId!;
    const defaultSession = await memberSession(account, 'us-east-1', policyFor(defaultId));
    const refused = await bot.run(
      botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: defaultId }, client: defaultSession.client }),
    );
    expect(refused.status).toBe('skipped');
    expect(await exists(ec2, defaultId)).toBe(true);
  });
});
