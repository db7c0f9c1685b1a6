import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/rds/rds_quarantine_instance';
import type { DerivedIds } from '../../../bots/types';
import { botContext, mockedClients } from '../../support/bot-context';
import { ACCOUNT, db, dbArn, instance } from './rds.fixtures';

const ourTag = [{ Key: 'cloudmend:created-by', Value: 'rds_quarantine_instance' }];
const allowAllEgress = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
const lookup = {
  Filters: [
    { Name: 'vpc-id', Values: ['vpc-1'] },
    { Name: 'group-name', Values: ['cloudmend-rds-quarantine'] },
  ],
};

function inVpc(groups: string[], extra = {}) {
  return instance({
    DBSubnetGroup: { VpcId: 'vpc-1' },
    VpcSecurityGroups: groups.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    ...extra,
  });
}

function quarantine(overrides: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    GroupId: 'sg-q',
    GroupName: 'cloudmend-rds-quarantine',
    VpcId: 'vpc-1',
    Tags: ourTag,
    IpPermissions: [],
    IpPermissionsEgress: [],
    ...overrides,
  };
}

describe('rds_quarantine_instance', () => {
  const rds = mockClient(RDSClient);
  const ec2 = mockClient(EC2Client);
  beforeEach(() => {
    rds.reset();
    ec2.reset();
    rds.on(ModifyDBInstanceCommand).resolves({});
  });
  afterAll(() => {
    rds.restore();
    ec2.restore();
  });

  it('creates a tagged quarantine group, strips its default egress and makes it the only group of the instance', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web', 'sg-app']));
    ec2.on(DescribeSecurityGroupsCommand, lookup).resolves({ SecurityGroups: [] });
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-q' });
    ec2
      .on(DescribeSecurityGroupsCommand, { GroupIds: ['sg-q'] })
      .resolves({ SecurityGroups: [quarantine({ IpPermissionsEgress: allowAllEgress })] });
    const named: DerivedIds[] = [];

    const result = await bot.run(botContext(bot, { resource: db, onNarrow: (ids) => named.push(ids) }));

    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0]!.args[0].input).toEqual({
      GroupName: 'cloudmend-rds-quarantine',
      Description: 'cloudmend quarantine for DB instances: no inbound or outbound rules (rds_quarantine_instance)',
      VpcId: 'vpc-1',
      TagSpecifications: [{ ResourceType: 'security-group', Tags: ourTag }],
    });
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-q',
      IpPermissions: allowAllEgress,
    });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      VpcSecurityGroupIds: ['sg-q'],
      ApplyImmediately: false,
    });
    expect(named).toEqual([{ vpcId: ['vpc-1'] }, { securityGroupId: ['sg-q'] }]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('quarantined orders in sg-q; security groups removed (to restore): sg-app, sg-web');
    expect(result.changes.map((c) => [c.action, c.target])).toEqual([
      ['ec2:CreateSecurityGroup', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-1`],
      ['ec2:RevokeSecurityGroupEgress', `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-q`],
      ['rds:ModifyDBInstance', dbArn],
    ]);
    expect(result.changes[2]!.undo).toEqual({
      kind: 'security-groups',
      before: { VpcSecurityGroupIds: ['sg-app', 'sg-web'] },
      after: { VpcSecurityGroupIds: ['sg-q'] },
    });
  });

  it('reuses the existing empty quarantine group with no EC2 write', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web']));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantine()] });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
    expect(result.changes.map((c) => c.action)).toEqual(['rds:ModifyDBInstance']);
  });

  it('reports already-compliant when the instance has only the empty quarantine group', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-q']));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantine()] });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'orders already has only sg-q (cloudmend-rds-quarantine), which has no rules',
      changes: [],
    });
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('removes rules someone added to the quarantine group, ingress and egress', async () => {
    const ssh = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }];
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-q']));
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [quarantine({ IpPermissions: ssh, IpPermissionsEgress: allowAllEgress })] });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({ GroupId: 'sg-q', IpPermissions: ssh });
    expect(result.message).toBe('quarantine group sg-q of orders had rules; removed them');
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('refuses a group of its name without its tag, before any write', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web']));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [quarantine({ Tags: [] })] });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(/^security group sg-q in vpc-1 is named cloudmend-rds-quarantine but lacks the tag/);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('adopts the group a concurrent run created (InvalidGroup.Duplicate), not reporting it as its own', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web']));
    ec2
      .on(DescribeSecurityGroupsCommand, lookup)
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [quarantine()] });
    ec2.on(CreateSecurityGroupCommand).rejects(Object.assign(new Error('exists'), { name: 'InvalidGroup.Duplicate' }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.changes.map((c) => c.action)).toEqual(['rds:ModifyDBInstance']);
  });

  it('refuses a foreign group that appeared during the run, and retries a create not yet visible', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web']));
    ec2.on(CreateSecurityGroupCommand).rejects(Object.assign(new Error('exists'), { name: 'InvalidGroup.Duplicate' }));
    ec2
      .on(DescribeSecurityGroupsCommand, lookup)
      .resolvesOnce({ SecurityGroups: [] })
      .resolves({ SecurityGroups: [quarantine({ Tags: [] })] });
    await expect(bot.run(botContext(bot, { resource: db }))).rejects.toMatchObject({ name: 'ForeignQuarantineGroup' });
    ec2.reset();
    ec2.on(CreateSecurityGroupCommand).rejects(Object.assign(new Error('exists'), { name: 'InvalidGroup.Duplicate' }));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    await expect(bot.run(botContext(bot, { resource: db }))).rejects.toMatchObject({ name: 'ConflictingCreate', $retryable: {} });
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('accepts a default egress another run revoked first, once the group reads back empty', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web']));
    ec2.on(DescribeSecurityGroupsCommand, lookup).resolves({ SecurityGroups: [quarantine({ IpPermissionsEgress: allowAllEgress })] });
    ec2.on(DescribeSecurityGroupsCommand, { GroupIds: ['sg-q'] }).resolves({ SecurityGroups: [quarantine()] });
    ec2.on(RevokeSecurityGroupEgressCommand).rejects(Object.assign(new Error('gone'), { name: 'InvalidPermission.NotFound' }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.changes.map((c) => c.action)).toEqual(['rds:ModifyDBInstance']);
  });

  it('in dry run reads, reports the group it would create and the swap, and writes nothing', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web']));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    const result = await bot.run(botContext(bot, { resource: db, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['ec2:CreateSecurityGroup', false],
      ['ec2:RevokeSecurityGroupEgress', false],
      ['rds:ModifyDBInstance', false],
    ]);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it.each([
    [
      'a member of a DB cluster',
      { DBClusterIdentifier: 'c1' },
      /^orders belongs to DB cluster c1: its security groups are set on the cluster/,
    ],
    ['a stopped instance', { DBInstanceStatus: 'stopped' }, /^orders is stopped: RDS modifies only an available instance/],
    ['a deleting instance', { DBInstanceStatus: 'deleting' }, /^orders is deleting; nothing to quarantine/],
    ['an instance in no VPC', { DBSubnetGroup: undefined }, /^orders is in no VPC/],
  ])('skips %s', async (_label, extra, message) => {
    rds.on(DescribeDBInstancesCommand).resolves(inVpc(['sg-web'], extra));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(message);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('undo reads the active groups sorted and writes the recorded ones back', async () => {
    const undoer = bot.undoers!['security-groups']!;
    const ctx = { client: mockedClients, partition: 'aws', account: ACCOUNT, region: 'us-east-1', target: dbArn };
    rds.on(DescribeDBInstancesCommand).resolves(
      instance({
        VpcSecurityGroups: [
          { VpcSecurityGroupId: 'sg-q', Status: 'adding' },
          { VpcSecurityGroupId: 'sg-web', Status: 'removing' },
        ],
      }),
    );
    expect(await undoer.read(ctx)).toEqual({ VpcSecurityGroupIds: ['sg-q'] });
    await undoer.write(ctx, { VpcSecurityGroupIds: ['sg-app', 'sg-web'] });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      VpcSecurityGroupIds: ['sg-app', 'sg-web'],
      ApplyImmediately: false,
    });
    await expect(undoer.write(ctx, { VpcSecurityGroupIds: [] })).rejects.toThrow('no group ids');
  });
});
