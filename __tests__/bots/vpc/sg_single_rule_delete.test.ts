import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_single_rule_delete';
import { resolveParams, resolveRequestedParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';
import { groupId, resource, rule, stubGroup, writes } from './sg-rules.fixtures';

const params = { protocol: 'TCP', scope: '0.0.0.0/0', direction: 'inbound', port: 22 };
const ssh = rule('tcp', 22, 22, '0.0.0.0/0');
const range = rule('tcp', 20, 30, '0.0.0.0/0', { Description: 'ops' });
const all = rule('tcp', 0, 65535, '8.8.8.8/32');
const udp = rule('udp', 22, 22, '0.0.0.0/0');
const otherScope = rule('tcp', 22, 22, '10.0.0.0/8');
const everything = rule('-1', -1, -1, '0.0.0.0/0');

describe('sg_single_rule_delete', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('parses the CloudBots forms: key=value in any case, and positional in its usage order', () => {
    const named = resolveParams(bot.meta, ['split=false', 'protocol=TCP', 'scope=0.0.0.0/0', 'direction=inbound', 'port=22']);
    const positional = resolveParams(bot.meta, ['true', 'UDP', '::/0', 'Outbound', '3389']);
    expect(named).toEqual({ ok: true, params: { split: false, protocol: 'tcp', scope: '0.0.0.0/0', direction: 'inbound', port: 22 } });
    expect(positional).toEqual({ ok: true, params: { split: true, protocol: 'udp', scope: '::/0', direction: 'outbound', port: 3389 } });
    // A finding may set all of them: they only choose which existing rule goes.
    expect(
      resolveRequestedParams(bot.meta, ['split=true', 'protocol=tcp', 'scope=1.2.3.4/32', 'direction=inbound', 'port=0'], {}, 'finding').ok,
    ).toBe(true);
  });

  it('refuses bad params: another protocol, a non-CIDR scope, a port out of range, a missing param', () => {
    for (const bad of [
      { ...params, protocol: 'icmp' },
      { ...params, scope: '0.0.0.0' },
      { ...params, scope: '300.0.0.0/8' },
      { ...params, port: 65536 },
      { ...params, direction: 'both' },
      { protocol: 'tcp', scope: '0.0.0.0/0', direction: 'inbound' },
    ]) {
      expect({ bad, ok: bot.meta.params.safeParse(bad).success }).toEqual({ bad, ok: false });
    }
  });

  it('revokes the rule for exactly that port, protocol and scope, and nothing else', async () => {
    stubGroup(ec2, [ssh, udp, otherScope, everything]);
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(writes(ec2)).toEqual([['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [ssh.SecurityGroupRuleId] }]]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`removed inbound tcp port 22 from 0.0.0.0/0 from ${groupId} (web)`);
  });

  it('skips a port inside a wider rule when split=false, saying how to split it', async () => {
    stubGroup(ec2, [range]);
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('only within a wider rule');
    expect(result.message).toContain('set split=true');
    expect(writes(ec2)).toEqual([]);
  });

  it('with split=true adds the rest of the range first, then revokes the wide rule', async () => {
    stubGroup(ec2, [range]);
    const result = await bot.run(botContext(bot, { resource, params: { ...params, split: true } }));
    const ops = { IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ops' }] };
    expect(writes(ec2)).toEqual([
      [
        'AuthorizeSecurityGroupIngress',
        {
          GroupId: groupId,
          IpPermissions: [
            { ...ops, FromPort: 20, ToPort: 21 },
            { ...ops, FromPort: 23, ToPort: 30 },
          ],
        },
      ],
      ['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [range.SecurityGroupRuleId] }],
    ]);
    expect(result.message).toMatch(/keeping the rest of the wider range$/);
  });

  it('splits at the edge of a range into one rule, and outbound rules through the egress calls', async () => {
    const out = rule('udp', 22, 25, '10.0.0.0/8', { IsEgress: true });
    stubGroup(ec2, [out]);
    await bot.run(
      botContext(bot, { resource, params: { split: true, protocol: 'udp', scope: '10.0.0.0/8', direction: 'outbound', port: 22 } }),
    );
    expect(writes(ec2)).toEqual([
      [
        'AuthorizeSecurityGroupEgress',
        { GroupId: groupId, IpPermissions: [{ IpProtocol: 'udp', FromPort: 23, ToPort: 25, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] },
      ],
      ['RevokeSecurityGroupEgress', { GroupId: groupId, SecurityGroupRuleIds: [out.SecurityGroupRuleId] }],
    ]);
  });

  it('port=0 with split=true removes a rule open on all ports whole, as CloudBots does', async () => {
    stubGroup(ec2, [all]);
    await bot.run(
      botContext(bot, { resource, params: { split: true, protocol: 'tcp', scope: '8.8.8.8/32', direction: 'inbound', port: 0 } }),
    );
    expect(writes(ec2)).toEqual([['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [all.SecurityGroupRuleId] }]]);
  });

  it('compares scopes as blocks, and matches an IPv6 scope', async () => {
    const v6 = rule('tcp', 22, 22, '2001:db8::/32');
    stubGroup(ec2, [v6]);
    await bot.run(botContext(bot, { resource, params: { ...params, scope: '2001:0db8:0:0::/32' } }));
    expect(writes(ec2)).toEqual([['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [v6.SecurityGroupRuleId] }]]);
  });

  it('is already compliant when no rule matches (an all-traffic rule is another protocol)', async () => {
    stubGroup(ec2, [udp, otherScope, everything]);
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(result.status).toBe('already-compliant');
    expect(result.message).toBe(`security group ${groupId} (web) has no tcp rule from 0.0.0.0/0 covering inbound port 22`);
    expect(writes(ec2)).toEqual([]);
  });

  it('in dry run reports the changes and writes nothing', async () => {
    stubGroup(ec2, [range]);
    const result = await bot.run(botContext(bot, { resource, params: { ...params, split: true }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => c.applied)).toEqual([false, false]);
    expect(writes(ec2)).toEqual([]);
  });
});
