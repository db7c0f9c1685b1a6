import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_rules_delete';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const groupId = 'sg-0123456789abcdef0';
const resource = { type: 'AWS::EC2::SecurityGroup', id: groupId };
const ssh = {
  SecurityGroupRuleId: 'sgr-0ssh',
  GroupId: groupId,
  IsEgress: false,
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  CidrIpv4: '0.0.0.0/0',
  Description: 'ssh',
};
const rdp = {
  SecurityGroupRuleId: 'sgr-0rdp',
  GroupId: groupId,
  IsEgress: false,
  IpProtocol: 'tcp',
  FromPort: 3389,
  ToPort: 3389,
  CidrIpv6: '::/0',
};
const allOut = {
  SecurityGroupRuleId: 'sgr-0out',
  GroupId: groupId,
  IsEgress: true,
  IpProtocol: '-1',
  FromPort: -1,
  ToPort: -1,
  CidrIpv4: '0.0.0.0/0',
};

describe('sg_rules_delete', () => {
  // Stubbed in beforeAll, not at collection, so a run filtered to the moto tests (-t) never sees these stubs.
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: groupId, GroupName: 'web' }] });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [ssh, allOut, rdp] });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
  });
  afterAll(() => ec2.restore());

  it('is not flagged destructive, matching CloudBots, and says why in its description', () => {
    expect(bot.meta.destructive).toBeFalsy();
    expect(bot.meta.description).toMatch(/not marked destructive/);
  });

  it('revokes every inbound rule in one call and every outbound rule in another, by rule id', async () => {
    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'group-id', Values: [groupId] }],
    });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({
      GroupId: groupId,
      SecurityGroupRuleIds: ['sgr-0ssh', 'sgr-0rdp'],
    });
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)[0]!.args[0].input).toEqual({
      GroupId: groupId,
      SecurityGroupRuleIds: ['sgr-0out'],
    });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`removed 2 inbound rules and 1 outbound rule from ${groupId} (web)`);
  });

  it('reports each removed rule readably, so it can be restored', async () => {
    const result = await bot.run(botContext(bot, { resource }));
    const target = `arn:aws:ec2:us-east-1:222222222222:security-group/${groupId}`;
    expect(result.changes).toEqual([
      {
        action: 'ec2:RevokeSecurityGroupIngress',
        target,
        applied: true,
        description: `removed 2 inbound rules from ${groupId} (web): sgr-0ssh inbound tcp port 22 from 0.0.0.0/0 "ssh"; sgr-0rdp inbound tcp port 3389 from ::/0`,
        // What undo authorizes again, without rule ids (a restored rule gets a new one).
        undo: {
          kind: 'security-group-ingress',
          before: [
            { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0', description: 'ssh' },
            { protocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIpv6: '::/0' },
          ],
          after: [],
        },
      },
      {
        action: 'ec2:RevokeSecurityGroupEgress',
        target,
        applied: true,
        description: `removed 1 outbound rule from ${groupId} (web): sgr-0out outbound all traffic to 0.0.0.0/0`,
        undo: { kind: 'security-group-egress', before: [expect.objectContaining({ protocol: '-1', cidrIpv4: '0.0.0.0/0' })], after: [] },
      },
    ]);
  });

  it('logs the raw rules before removing any of them', async () => {
    const events: string[] = [];
    const info = jest.fn((message: string) => events.push(message));
    ec2.on(RevokeSecurityGroupIngressCommand).callsFake(() => {
      events.push('revoke');
      return { Return: true };
    });
    const ctx = { ...botContext(bot, { resource }), log: { debug: () => {}, warn: () => {}, info } };
    await bot.run(ctx);
    expect(info).toHaveBeenCalledWith('security group rules before removal', { groupId, rules: [ssh, allOut, rdp] });
    expect(events.indexOf('security group rules before removal')).toBeLessThan(events.indexOf('revoke'));
  });

  it('only calls the direction that has rules', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [allOut] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(1);
    expect(result.changes).toHaveLength(1);
  });

  it('collects rules from every page', async () => {
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({ SecurityGroupRules: [ssh], NextToken: 'p2' })
      .resolvesOnce({ SecurityGroupRules: [rdp] });
    await bot.run(botContext(bot, { resource }));
    expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand)[1]!.args[0].input).toMatchObject({ NextToken: 'p2' });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input.SecurityGroupRuleIds).toEqual(['sgr-0ssh', 'sgr-0rdp']);
  });

  it('fails instead of claiming success when EC2 answers Return=false', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: false });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/did not revoke the inbound rules/);
  });

  it('reports already-compliant and writes nothing when the group has no rules', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: `security group ${groupId} (web) has no rules`, changes: [] });
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
  });

  it('reports already-compliant when the group no longer exists', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound', 'gone'));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand)).toHaveLength(0);
  });

  it('in dry run lists the rules it would remove and removes none', async () => {
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['ec2:RevokeSecurityGroupIngress', false],
      ['ec2:RevokeSecurityGroupEgress', false],
    ]);
    expect(result.changes[0]!.description).toContain('sgr-0ssh inbound tcp port 22 from 0.0.0.0/0');
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RevokeSecurityGroupEgressCommand)).toHaveLength(0);
  });

  it('refuses a resource that is not a security group id, before any call', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { ...resource, id: 'arn:aws:ec2:us-east-1:1:security-group/sg-1' } })),
    ).rejects.toThrow(/not a security group id/);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ direction: 'inbound' }).success).toBe(false);
  });
});
