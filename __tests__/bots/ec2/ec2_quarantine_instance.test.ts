import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type Instance,
  type InstanceNetworkInterface,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import bot, { QUARANTINE_GROUP_NAME } from '../../../bots/ec2/ec2_quarantine_instance';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const ourTag = [{ Key: 'cloudmend:created-by', Value: 'ec2_quarantine_instance' }];
const allowAllEgress = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];

function eni(id: string, groups: string[], vpcId = 'vpc-1'): InstanceNetworkInterface {
  return { NetworkInterfaceId: id, VpcId: vpcId, Groups: groups.map((g) => ({ GroupId: g, GroupName: g.replace('sg-', '') })) };
}

function withInstance(interfaces: InstanceNetworkInterface[], extra: Partial<Instance> = {}) {
  return {
    Reservations: [
      {
        Instances: [
          {
            InstanceId: 'i-0123456789abcdef0',
            State: { Name: 'running' as const },
            VpcId: 'vpc-1',
            NetworkInterfaces: interfaces,
            ...extra,
          },
        ],
      },
    ],
  };
}

function quarantineGroup(overrides: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    GroupId: 'sg-q',
    GroupName: QUARANTINE_GROUP_NAME,
    VpcId: 'vpc-1',
    Tags: ourTag,
    IpPermissions: [],
    IpPermissionsEgress: [],
    ...overrides,
  };
}

function lookupFilters(vpcId: string) {
  return {
    Filters: [
      { Name: 'vpc-id', Values: [vpcId] },
      { Name: 'group-name', Values: ['cloudmend-quarantine'] },
    ],
  };
}

describe('ec2_quarantine_instance', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('creates a tagged quarantine group, strips its default egress and puts it alone on every interface', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web', 'sg-admin']), eni('eni-2', ['sg-admin'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-q' });
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: ['sg-q'] }).resolves({
      SecurityGroups: [quarantineGroup({ IpPermissionsEgress: allowAllEgress })],
    });

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual(lookupFilters('vpc-1'));
    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0]!.args[0].input).toEqual({
      GroupName: 'cloudmend-quarantine',
      Description: 'cloudmend quarantine: no inbound or outbound rules (ec2_quarantine_instance)',
      VpcId: 'vpc-1',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: ourTag }],
    });
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-q',
      IpPermissions: allowAllEgress,
    });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { NetworkInterfaceId: 'eni-1', Groups: ['sg-q'] },
      { NetworkInterfaceId: 'eni-2', Groups: ['sg-q'] },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(
      'quarantined i-0123456789abcdef0 in sg-q; groups removed (to restore): ' +
        'eni-1: sg-web (web), sg-admin (admin); eni-2: sg-admin (admin)',
    );
    expect(result.changes).toEqual([
      {
        action: 'ec2:CreateSecurityGroup',
        target: 'arn:aws:ec2:us-east-1:222222222222:vpc/vpc-1',
        description: 'created security group cloudmend-quarantine in vpc-1, to hold no rules',
        applied: true,
        undo: { kind: 'quarantine-group', before: null, after: null },
      },
      {
        action: 'ec2:RevokeSecurityGroupEgress',
        target: 'arn:aws:ec2:us-east-1:222222222222:security-group/sg-q',
        description: 'revoked 1 egress rule(s) of sg-q',
        applied: true,
        undo: { kind: 'quarantine-group', before: null, after: null },
      },
      {
        action: 'ec2:ModifyNetworkInterfaceAttribute',
        target: 'arn:aws:ec2:us-east-1:222222222222:network-interface/eni-1',
        description: 'eni-1 of i-0123456789abcdef0: sg-web (web), sg-admin (admin) -> sg-q (cloudmend-quarantine)',
        applied: true,
        undo: {
          kind: 'interface-security-groups',
          before: { groups: ['sg-admin', 'sg-web'] },
          after: { groups: ['sg-q'] },
          ids: { instanceId: ['i-0123456789abcdef0'], networkInterfaceId: ['eni-1'], securityGroupId: ['sg-web', 'sg-admin'] },
        },
      },
      expect.objectContaining({ action: 'ec2:ModifyNetworkInterfaceAttribute', target: expect.stringMatching(/eni-2$/) }),
    ]);
  });

  it('writes through credentials naming exactly the VPC, then the quarantine group and interfaces, it read', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web']), eni('eni-2', ['sg-web'], 'vpc-2')]));
    ec2.on(DescribeSecurityGroupsCommand, lookupFilters('vpc-1')).resolves({ SecurityGroups: [] });
    ec2
      .on(DescribeSecurityGroupsCommand, lookupFilters('vpc-2'))
      .resolves({ SecurityGroups: [quarantineGroup({ GroupId: 'sg-q2', VpcId: 'vpc-2' })] });
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-q1' });
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: ['sg-q1'] }).resolves({ SecurityGroups: [quarantineGroup({ GroupId: 'sg-q1' })] });
    const narrowed: unknown[] = [];

    await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));

    expect(narrowed).toEqual([
      { vpcId: ['vpc-1', 'vpc-2'] },
      { securityGroupId: ['sg-q1', 'sg-q2'], networkInterfaceId: ['eni-1', 'eni-2'] },
    ]);
  });

  it('names at most four interfaces per session, so the policy fits AssumeRole, and swaps each through its own batch', async () => {
    const many = ['eni-1', 'eni-2', 'eni-3', 'eni-4', 'eni-5', 'eni-6'].map((id) => eni(id, ['sg-web']));
    ec2.on(DescribeInstancesCommand).resolves(withInstance(many));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantineGroup()] });
    const narrowed: unknown[] = [];

    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));

    expect(narrowed).toEqual([
      { securityGroupId: ['sg-q'], networkInterfaceId: ['eni-1', 'eni-2', 'eni-3', 'eni-4'] },
      { securityGroupId: ['sg-q'], networkInterfaceId: ['eni-5', 'eni-6'] },
    ]);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(6);
    expect(result.status).toBe('remediated');
  });

  it('uses the group a concurrent run created between its read and its create, without reporting the create as its own', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'])]));
    ec2
      .on(DescribeSecurityGroupsCommand, lookupFilters('vpc-1'))
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [quarantineGroup({ IpPermissionsEgress: allowAllEgress })] });
    ec2.on(CreateSecurityGroupCommand).rejects(Object.assign(new Error('already exists for VPC'), { name: 'InvalidGroup.Duplicate' }));

    const result = await bot.run(botContext(bot, { resource }));

    // The other run's group still had its default egress: emptied, then used.
    expect(result.changes.map((c) => c.action)).toEqual(['ec2:RevokeSecurityGroupEgress', 'ec2:ModifyNetworkInterfaceAttribute']);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0]!.args[0].input).toEqual({
      NetworkInterfaceId: 'eni-1',
      Groups: ['sg-q'],
    });
  });

  it('refuses a same-named group without its tag that appeared between its read and its create, changing nothing', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'])]));
    ec2
      .on(DescribeSecurityGroupsCommand, lookupFilters('vpc-1'))
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [quarantineGroup({ Tags: [] })] });
    ec2.on(CreateSecurityGroupCommand).rejects(Object.assign(new Error('already exists for VPC'), { name: 'InvalidGroup.Duplicate' }));

    await expect(bot.run(botContext(bot, { resource }))).rejects.toMatchObject({ name: 'ForeignQuarantineGroup' });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('fails retryably, touching no interface, when the group said to exist cannot be read back yet', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    ec2.on(CreateSecurityGroupCommand).rejects(Object.assign(new Error('already exists for VPC'), { name: 'InvalidGroup.Duplicate' }));

    await expect(bot.run(botContext(bot, { resource }))).rejects.toMatchObject({ name: 'ConflictingCreate', $retryable: {} });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('reuses the existing quarantine group of the VPC instead of creating another', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantineGroup()] });

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0]!.args[0].input).toEqual({
      NetworkInterfaceId: 'eni-1',
      Groups: ['sg-q'],
    });
    expect(result.changes.map((c) => c.action)).toEqual(['ec2:ModifyNetworkInterfaceAttribute']);
  });

  it('reports already-compliant and writes nothing when every interface has only the rule-less quarantine group', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-q']), eni('eni-2', ['sg-q'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantineGroup()] });

    const result = await bot.run(botContext(bot, { resource }));

    expect(result).toEqual({
      status: 'already-compliant',
      message: 'instance i-0123456789abcdef0 already has only sg-q (cloudmend-quarantine), which has no rules',
      changes: [],
    });
    expect(ec2.calls().map((c) => c.args[0].constructor.name)).toEqual(['DescribeInstancesCommand', 'DescribeSecurityGroupsCommand']);
  });

  it('replaces the groups of an interface that has the quarantine group next to others', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-q', 'sg-web'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantineGroup()] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0]!.args[0].input.Groups).toEqual(['sg-q']);
    expect(result.message).toContain('eni-1: sg-web (web)');
    expect(result.message).not.toContain('sg-q (q)');
  });

  it('removes rules someone added to its own quarantine group (or an interrupted run left)', async () => {
    const ingress = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }];
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-q'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [quarantineGroup({ IpPermissions: ingress, IpPermissionsEgress: allowAllEgress })],
    });

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({ GroupId: 'sg-q', IpPermissions: ingress });
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-q',
      IpPermissions: allowAllEgress,
    });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('quarantine group sg-q of i-0123456789abcdef0 had rules; removed them');
  });

  it('refuses to use a group with the quarantine name that cloudmend did not create, and writes nothing', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [quarantineGroup({ GroupId: 'sg-impostor', Tags: [], IpPermissions: [{ IpProtocol: '-1' }] })],
    });

    const result = await bot.run(botContext(bot, { resource }));

    expect(result.status).toBe('skipped');
    expect(result.message).toContain(
      'sg-impostor in vpc-1 is named cloudmend-quarantine but lacks the tag cloudmend:created-by=ec2_quarantine_instance',
    );
    expect(ec2.calls().map((c) => c.args[0].constructor.name)).toEqual(['DescribeInstancesCommand', 'DescribeSecurityGroupsCommand']);
  });

  it('uses one quarantine group per VPC when interfaces sit in different VPCs', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'], 'vpc-1'), eni('eni-2', ['sg-db'], 'vpc-2')]));
    ec2.on(DescribeSecurityGroupsCommand, lookupFilters('vpc-1')).resolves({ SecurityGroups: [quarantineGroup()] });
    ec2.on(DescribeSecurityGroupsCommand, lookupFilters('vpc-2')).resolves({ SecurityGroups: [] });
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-q2' });
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: ['sg-q2'] }).resolves({
      SecurityGroups: [quarantineGroup({ GroupId: 'sg-q2', VpcId: 'vpc-2', IpPermissionsEgress: allowAllEgress })],
    });

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(CreateSecurityGroupCommand).map((c) => c.args[0].input.VpcId)).toEqual(['vpc-2']);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { NetworkInterfaceId: 'eni-1', Groups: ['sg-q'] },
      { NetworkInterfaceId: 'eni-2', Groups: ['sg-q2'] },
    ]);
    expect(result.message).toContain('in sg-q, sg-q2');
  });

  it('in dry run reports creating the group, revoking its egress and swapping the groups, and writes nothing', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([eni('eni-1', ['sg-web'])]));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });

    const result = await bot.run(botContext(bot, { resource, dryRun: true }));

    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'ec2:CreateSecurityGroup', applied: false }),
      expect.objectContaining({ action: 'ec2:RevokeSecurityGroupEgress', target: '(new cloudmend-quarantine in vpc-1)', applied: false }),
      expect.objectContaining({
        action: 'ec2:ModifyNetworkInterfaceAttribute',
        description: 'eni-1 of i-0123456789abcdef0: sg-web (web) -> (new cloudmend-quarantine in vpc-1) (cloudmend-quarantine)',
        applied: false,
      }),
    ]);
    const writes = ec2
      .calls()
      .map((c) => c.args[0].constructor.name)
      .filter((n) => !n.startsWith('Describe'));
    expect(writes).toEqual([]);
  });

  it.each(['terminated', 'shutting-down'] as const)('skips a %s instance', async (state) => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance([], { State: { Name: state } }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(0);
  });

  it('rejects a finding whose resource is a security group rather than an instance', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::SecurityGroup', id: 'sg-web' } }))).rejects.toThrow(
      'expected an EC2 instance id',
    );
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ group: 'x' }).success).toBe(false);
  });
});
