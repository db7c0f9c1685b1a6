import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { DeleteNetworkAclCommand, DescribeNetworkAclsCommand, EC2Client, ReplaceNetworkAclAssociationCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/acl_delete';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const aclId = 'acl-0123456789abcdef0';
const defaultId = 'acl-0fedcba9876543210';
const vpcId = 'vpc-0123456789abcdef0';
const resource = { type: 'AWS::EC2::NetworkAcl', id: aclId };
const entries = [
  { RuleNumber: 100, Egress: false, RuleAction: 'allow' as const, Protocol: '6', PortRange: { From: 22, To: 22 }, CidrBlock: '0.0.0.0/0' },
  { RuleNumber: 32767, Egress: false, RuleAction: 'deny' as const, Protocol: '-1', CidrBlock: '0.0.0.0/0' },
];
const acl = {
  NetworkAclId: aclId,
  VpcId: vpcId,
  IsDefault: false,
  Entries: entries,
  Associations: [
    { NetworkAclAssociationId: 'aclassoc-1', NetworkAclId: aclId, SubnetId: 'subnet-a' },
    { NetworkAclAssociationId: 'aclassoc-2', NetworkAclId: aclId, SubnetId: 'subnet-b' },
  ],
};

describe('acl_delete', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeNetworkAclsCommand, { NetworkAclIds: [aclId] }).resolves({ NetworkAcls: [acl] });
    ec2.on(DescribeNetworkAclsCommand, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }).resolves({
      NetworkAcls: [acl, { NetworkAclId: defaultId, VpcId: vpcId, IsDefault: true }],
    });
    ec2.on(ReplaceNetworkAclAssociationCommand).resolves({ NewAssociationId: 'aclassoc-new' });
    ec2.on(DeleteNetworkAclCommand).resolves({});
  });
  afterAll(() => ec2.restore());

  it('is destructive and irreversible under undo', () => {
    expect(bot.meta.destructive).toBe(true);
    expect(bot.meta.undo?.['network-acl-deletion']).toMatchObject({ reversible: false });
  });

  it('moves each subnet to the default ACL with narrowed credentials, then deletes the ACL', async () => {
    const narrowed: unknown[] = [];
    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([{ networkAclId: [defaultId], subnetId: ['subnet-a', 'subnet-b'] }]);
    expect(ec2.commandCalls(ReplaceNetworkAclAssociationCommand).map((c) => c.args[0].input)).toEqual([
      { AssociationId: 'aclassoc-1', NetworkAclId: defaultId },
      { AssociationId: 'aclassoc-2', NetworkAclId: defaultId },
    ]);
    expect(ec2.commandCalls(DeleteNetworkAclCommand)[0]!.args[0].input).toEqual({ NetworkAclId: aclId });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`deleted network ACL ${aclId} of ${vpcId}; subnets moved to the default ACL first: subnet-a, subnet-b`);
    expect(result.changes[2]!.description).toBe(
      `deleted network ACL ${aclId} of ${vpcId}; its entries were: #100 inbound allow tcp 22-22 from 0.0.0.0/0`,
    );
  });

  it('deletes an ACL without subnets directly, reading no default ACL', async () => {
    ec2.on(DescribeNetworkAclsCommand, { NetworkAclIds: [aclId] }).resolves({ NetworkAcls: [{ ...acl, Associations: [] }] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.changes.map((c) => c.action)).toEqual(['ec2:DeleteNetworkAcl']);
    expect(ec2.commandCalls(DescribeNetworkAclsCommand)).toHaveLength(1);
  });

  it('never deletes the default ACL', async () => {
    ec2.on(DescribeNetworkAclsCommand, { NetworkAclIds: [aclId] }).resolves({ NetworkAcls: [{ ...acl, IsDefault: true }] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('the default ACL is never deleted');
    expect(ec2.commandCalls(DeleteNetworkAclCommand)).toHaveLength(0);
  });

  it('is already compliant when the ACL is gone', async () => {
    ec2.on(DescribeNetworkAclsCommand, { NetworkAclIds: [aclId] }).rejects(awsError('InvalidNetworkAclID.NotFound', 'gone'));
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'already-compliant',
      message: `network ACL ${aclId} does not exist`,
      changes: [],
    });
  });

  it('in dry run reports the moves and the deletion and writes nothing', async () => {
    const narrowed: unknown[] = [];
    const result = await bot.run(botContext(bot, { resource, dryRun: true, onNarrow: (ids) => narrowed.push(ids) }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => c.applied)).toEqual([false, false, false]);
    expect(ec2.commandCalls(ReplaceNetworkAclAssociationCommand)).toHaveLength(0);
    expect(ec2.commandCalls(DeleteNetworkAclCommand)).toHaveLength(0);
    expect(narrowed).toEqual([]);
  });

  it('fails before deleting when the VPC has no default ACL, and refuses what is not an ACL id', async () => {
    ec2.on(DescribeNetworkAclsCommand, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }).resolves({ NetworkAcls: [acl] });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/has no default network ACL/);
    expect(ec2.commandCalls(DeleteNetworkAclCommand)).toHaveLength(0);
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: 'subnet-0123456789abcdef0' } }))).rejects.toThrow(
      /is not a network-acl id/,
    );
  });
});
