import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_delete';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const groupId = 'sg-0123456789abcdef0';
const resource = { type: 'AWS::EC2::SecurityGroup', id: groupId };
const group = { GroupId: groupId, GroupName: 'old-web', VpcId: 'vpc-0aaaaaaaaaaaaaaaa' };

function notFound(): Error {
  return awsError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
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
    ec2
      .on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }] })
      .resolves({ SecurityGroups: [] });
    ec2
      .on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'egress.ip-permission.group-id', Values: [groupId] }] })
      .resolves({ SecurityGroups: [] });
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
    ec2
      .on(DescribeSecurityGroupsCommand, { Filters: [{ Name: 'ip-permission.group-id', Values: [groupId] }] })
      .resolves({ SecurityGroups: [group] });
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
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: [groupId] }).rejects(awsError('UnauthorizedOperation', 'denied'));
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
