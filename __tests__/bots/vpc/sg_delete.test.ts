import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_delete';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

const groupId = 'sg-0123456789abcdef0';
const resource = { type: 'AWS::EC2::SecurityGroup', id: groupId };
const group = { GroupId: groupId, GroupName: 'old-web', VpcId: 'vpc-0aaaaaaaaaaaaaaaa' };

function notFound(): Error {
  return Object.assign(new Error(`The security group '${groupId}' does not exist`), { name: 'InvalidGroup.NotFound' });
}

describe('sg_delete', () => {
  // Stubbed in beforeAll, not at collection, so a run filtered to the moto tests (-t) never sees these stubs.
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [groupId] }).resolves({ SecurityGroups: [group] });
    ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }] }).resolves({ SecurityGroups: [] });
    ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'egress.ip-permission.group-id', Values: [groupId] }] }).resolves({ SecurityGroups: [] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2.on(DeleteSecurityGroupCommand).resolves({});
  });
  afterAll(() => ec2.restore());

  it('is destructive, so it only runs when the config opts in', () => {
    expect(bot.meta.destructive).toBe(true);
  });

  it('deletes a group that no interface uses and no group references', async () => {
    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'group-id', Values: [groupId] }],
      MaxResults: 50,
    });
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: groupId });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      expect.objectContaining({
        action: 'ec2:DeleteSecurityGroup',
        target: `arn:aws:ec2:us-east-1:222222222222:security-group/${groupId}`,
        applied: true,
      }),
    ]);
    expect(result.changes[0]!.description).toContain('old-web');
  });

  it('refuses a group used by a network interface, naming the interface and its instance', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        { NetworkInterfaceId: 'eni-0111', Attachment: { InstanceId: 'i-0abc' } },
        { NetworkInterfaceId: 'eni-0222', Description: 'ELB app/web/123' },
      ],
    });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('eni-0111 (i-0abc)');
    expect(result.message).toContain('eni-0222 (ELB app/web/123)');
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0);
  });

  it('says there are more users when the interface list is cut', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ NetworkInterfaceId: 'eni-0111' }], NextToken: 'next' });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('eni-0111 and more');
  });

  it('refuses the default group of a VPC', async () => {
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [groupId] }).resolves({ SecurityGroups: [{ ...group, GroupName: 'default' }] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(/default security group/);
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(0);
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0);
  });

  it('refuses a group other groups reference in ingress or egress rules, naming them, but ignores its own self-reference', async () => {
    ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }] }).resolves({
      SecurityGroups: [group, { GroupId: 'sg-0bbbbbbbbbbbbbbbb', GroupName: 'db' }],
    });
    ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'egress.ip-permission.group-id', Values: [groupId] }] }).resolves({
      SecurityGroups: [{ GroupId: 'sg-0cccccccccccccccc', GroupName: 'app' }],
    });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('sg-0bbbbbbbbbbbbbbbb (db)');
    expect(result.message).toContain('sg-0cccccccccccccccc (app)');
    expect(result.message).toContain('DependencyViolation');
    expect(result.message.split('referenced by the rules of')[1]).not.toContain(groupId);
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0);
  });

  it('deletes a group whose only reference is its own self-referencing rule', async () => {
    ec2.on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }] }).resolves({ SecurityGroups: [group] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('remediated');
  });

  it('reports already-compliant when the group no longer exists', async () => {
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [groupId] }).rejects(notFound());
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0);
  });

  it('lets other describe errors propagate for the handler to classify', async () => {
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [groupId] }).rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('denied');
  });

  it('in dry run checks everything, reports the deletion and does not make it', async () => {
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]).toMatchObject({ action: 'ec2:DeleteSecurityGroup', applied: false });
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(0);
  });

  it('refuses a resource that is not a security group id, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: 'old-web' } }))).rejects.toThrow(/not a security group id/);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ force: 'true' }).success).toBe(false);
  });
});

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
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: referenced }, client: session.client }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain(`${referrer} (referrer)`);
    expect(await exists(ec2, referenced)).toBe(true);

    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }),
    );
    const defaultId = defaults.SecurityGroups![0]!.GroupId!;
    const defaultSession = await memberSession(account, 'us-east-1', policyFor(defaultId));
    const refused = await bot.run(botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: defaultId }, client: defaultSession.client }));
    expect(refused.status).toBe('skipped');
    expect(await exists(ec2, defaultId)).toBe(true);
  });
});
