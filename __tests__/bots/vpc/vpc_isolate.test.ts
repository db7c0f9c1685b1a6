import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  CreateNetworkAclCommand,
  DescribeNetworkAclsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import { sessionPolicyFor } from '../../../bots/permissions';
import bot from '../../../bots/vpc/vpc_isolate';
import { botContext } from '../../support/bot-context';

const vpcId = 'vpc-0123456789abcdef0';
const resource = { type: 'AWS::EC2::VPC', id: vpcId };
const defaultAcl = {
  NetworkAclId: 'acl-0aaaaaaaaaaaaaaaa',
  VpcId: vpcId,
  IsDefault: true,
  Associations: [
    { NetworkAclAssociationId: 'aclassoc-a', SubnetId: 'subnet-a' },
    { NetworkAclAssociationId: 'aclassoc-b', SubnetId: 'subnet-b' },
  ],
};
const isolation = {
  NetworkAclId: 'acl-0bbbbbbbbbbbbbbbb',
  VpcId: vpcId,
  IsDefault: false,
  Tags: [{ Key: 'cloudmend:created-by', Value: 'vpc_isolate' }],
  Entries: [{ RuleNumber: 32767, Egress: false, RuleAction: 'deny' as const, Protocol: '-1', CidrBlock: '0.0.0.0/0' }],
  Associations: [],
};

function stub(ec2: AwsClientStub<EC2Client>, acls: object[], dns = { support: true, hostnames: true }) {
  ec2.reset();
  ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: acls });
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      { SubnetId: 'subnet-a', VpcId: vpcId },
      { SubnetId: 'subnet-b', VpcId: vpcId },
    ],
  });
  ec2.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' }).resolves({ EnableDnsSupport: { Value: dns.support } });
  ec2.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' }).resolves({ EnableDnsHostnames: { Value: dns.hostnames } });
  ec2.on(CreateNetworkAclCommand).resolves({ NetworkAcl: { NetworkAclId: isolation.NetworkAclId, VpcId: vpcId } });
  ec2.on(ReplaceNetworkAclAssociationCommand).resolves({ NewAssociationId: 'aclassoc-new' });
  ec2.on(ModifyVpcAttributeCommand).resolves({});
}

describe('vpc_isolate', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('creates the tagged deny-all ACL, moves every subnet to it through narrowed credentials, turns DNS off', async () => {
    stub(ec2, [defaultAcl]);
    const narrowed: unknown[] = [];
    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));
    expect(ec2.commandCalls(CreateNetworkAclCommand)[0]!.args[0].input).toEqual({
      VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: 'cloudmend:created-by', Value: 'vpc_isolate' }] }],
    });
    expect(narrowed).toEqual([{ subnetId: ['subnet-a', 'subnet-b'], networkAclId: [isolation.NetworkAclId, defaultAcl.NetworkAclId] }]);
    expect(ec2.commandCalls(ReplaceNetworkAclAssociationCommand).map((c) => c.args[0].input)).toEqual([
      { AssociationId: 'aclassoc-a', NetworkAclId: isolation.NetworkAclId },
      { AssociationId: 'aclassoc-b', NetworkAclId: isolation.NetworkAclId },
    ]);
    // Hostnames need DNS support: off first.
    expect(ec2.commandCalls(ModifyVpcAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { VpcId: vpcId, EnableDnsHostnames: { Value: false } },
      { VpcId: vpcId, EnableDnsSupport: { Value: false } },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.changes.map((c) => c.undo?.kind ?? c.action)).toEqual([
      'isolation-acl',
      'network-acl-association',
      'network-acl-association',
      'vpc-dns',
    ]);
    expect(result.changes[1]!.undo).toEqual({
      kind: 'network-acl-association',
      before: { networkAclId: defaultAcl.NetworkAclId },
      after: { networkAclId: isolation.NetworkAclId },
      ids: { subnetId: ['subnet-a'], networkAclId: [defaultAcl.NetworkAclId, isolation.NetworkAclId] },
    });
    // The undo step's session names that subnet and both ACLs: without them it could not move the subnet back.
    const association = bot.meta.undo?.['network-acl-association'];
    if (!association?.reversible) throw new Error('network-acl-association must be reversible');
    const scope = { partition: 'aws', account: '123456789012', region: 'us-east-1', resourceId: vpcId };
    const undoPolicy = sessionPolicyFor(association, { ...scope, derived: result.changes[1]!.undo!.ids! });
    expect(undoPolicy.Statement.find((st) => st.Action.includes('ec2:ReplaceNetworkAclAssociation'))?.Resource).toEqual([
      `arn:aws:ec2:us-east-1:123456789012:network-acl/${defaultAcl.NetworkAclId}`,
      `arn:aws:ec2:us-east-1:123456789012:network-acl/${isolation.NetworkAclId}`,
      'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a',
    ]);
    expect(result.changes[3]!.undo).toEqual({
      kind: 'vpc-dns',
      before: { enableDnsSupport: true, enableDnsHostnames: true },
      after: { enableDnsSupport: false, enableDnsHostnames: false },
    });
  });

  it('reuses its ACL and moves only the subnets not on it yet', async () => {
    stub(ec2, [
      { ...defaultAcl, Associations: [defaultAcl.Associations[1]] },
      { ...isolation, Associations: [{ NetworkAclAssociationId: 'aclassoc-a', SubnetId: 'subnet-a' }] },
    ]);
    await bot.run(botContext(bot, { resource }));
    expect(ec2.commandCalls(CreateNetworkAclCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ReplaceNetworkAclAssociationCommand).map((c) => c.args[0].input)).toEqual([
      { AssociationId: 'aclassoc-b', NetworkAclId: isolation.NetworkAclId },
    ]);
  });

  it('is already compliant when every subnet is on its ACL and DNS is off', async () => {
    stub(
      ec2,
      [
        { ...isolation, Associations: defaultAcl.Associations },
        { ...defaultAcl, Associations: [] },
      ],
      { support: false, hostnames: false },
    );
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(ec2.commandCalls(ReplaceNetworkAclAssociationCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyVpcAttributeCommand)).toHaveLength(0);
  });

  it('refuses an isolation ACL someone gave allow entries', async () => {
    const edited = {
      ...isolation,
      Entries: [{ RuleNumber: 100, Egress: false, RuleAction: 'allow' as const, Protocol: '-1', CidrBlock: '0.0.0.0/0' }],
    };
    stub(ec2, [defaultAcl, edited]);
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(
      /has entries allowing traffic \(#100 inbound allow all from 0.0.0.0\/0\)/,
    );
    expect(ec2.commandCalls(ReplaceNetworkAclAssociationCommand)).toHaveLength(0);
  });

  it('in dry run reports every change and writes nothing', async () => {
    stub(ec2, [defaultAcl]);
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => c.applied)).toEqual([false, false, false, false]);
    expect(result.changes[1]!.description).toBe(
      `subnet subnet-a: network ACL ${defaultAcl.NetworkAclId} -> (new isolation ACL in ${vpcId}) (deny all)`,
    );
    const sent = ec2.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(sent.filter((name) => /^(Create|Replace|Modify)/.test(name))).toEqual([]);
  });

  it('is destructive and refuses what is not a VPC id', async () => {
    expect(bot.meta.destructive).toBe(true);
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: 'sg-0123456789abcdef0' } }))).rejects.toThrow(/is not a vpc id/);
  });
});
