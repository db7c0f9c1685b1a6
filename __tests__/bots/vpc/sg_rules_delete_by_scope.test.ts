import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_rules_delete_by_scope';
import { resolveParams, resolveRequestedParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';
import { groupId, resource, rule, stubGroup, writes } from './sg-rules.fixtures';

const inScope = rule('tcp', 22, 22, '1.0.3.0/24');
const scopeItself = rule('udp', 53, 53, '1.0.0.0/16');
const wider = rule('tcp', 22, 22, '1.0.0.0/8');
const outside = rule('tcp', 22, 22, '2.0.0.0/16');
const everything = rule('-1', -1, -1, '1.0.9.9/32');
const v6 = rule('tcp', 22, 22, '::/0');
const egress = rule('tcp', 22, 22, '1.0.0.0/16', { IsEgress: true });

describe('sg_rules_delete_by_scope', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('parses the CloudBots positional form (scope direction port protocol) with `*` for any', () => {
    expect(resolveParams(bot.meta, ['0.0.0.0/0', 'inbound', '22', 'tcp'])).toEqual({
      ok: true,
      params: { scope: '0.0.0.0/0', direction: 'inbound', port: 22, protocol: 'tcp' },
    });
    expect(resolveParams(bot.meta, ['1.0.0.0/16', 'inbound', '*', '*'])).toEqual({
      ok: true,
      params: { scope: '1.0.0.0/16', direction: 'inbound', port: '*', protocol: '*' },
    });
    expect(resolveParams(bot.meta, ['scope=::/0', 'direction=OUTBOUND'])).toMatchObject({ ok: true, params: { port: '*', protocol: '*' } });
    expect(resolveRequestedParams(bot.meta, ['0.0.0.0/0', 'inbound', '22', 'TCP'], {}, 'finding').ok).toBe(true);
    expect(bot.meta.params.safeParse({ scope: '1.0.0.0', direction: 'inbound' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ scope: '1.0.0.0/8', direction: 'inbound', port: 'ssh' }).success).toBe(false);
  });

  it('with any port and protocol revokes every rule of the direction whose CIDR lies within the scope', async () => {
    stubGroup(ec2, [inScope, scopeItself, wider, outside, everything, v6, egress]);
    const result = await bot.run(botContext(bot, { resource, params: { scope: '1.0.0.0/16', direction: 'inbound' } }));
    expect(writes(ec2)).toEqual([
      [
        'RevokeSecurityGroupIngress',
        { GroupId: groupId, SecurityGroupRuleIds: [inScope, scopeItself, everything].map((r) => r.SecurityGroupRuleId) },
      ],
    ]);
    expect(result.message).toBe(`removed 3 inbound rules within 1.0.0.0/16 from ${groupId} (web)`);
  });

  it('narrows by port and protocol; an all-traffic rule allows both, so it matches', async () => {
    stubGroup(ec2, [inScope, scopeItself, everything]);
    await bot.run(botContext(bot, { resource, params: { scope: '1.0.0.0/16', direction: 'inbound', port: 22, protocol: 'tcp' } }));
    expect(writes(ec2)).toEqual([
      [
        'RevokeSecurityGroupIngress',
        { GroupId: groupId, SecurityGroupRuleIds: [inScope.SecurityGroupRuleId, everything.SecurityGroupRuleId] },
      ],
    ]);
  });

  it('removes outbound rules through RevokeSecurityGroupEgress, and ::/0 covers every IPv6 rule only', async () => {
    stubGroup(ec2, [egress, v6, inScope]);
    await bot.run(botContext(bot, { resource, params: { scope: '0.0.0.0/0', direction: 'outbound' } }));
    await bot.run(botContext(bot, { resource, params: { scope: '::/0', direction: 'inbound' } }));
    expect(writes(ec2)).toEqual([
      ['RevokeSecurityGroupEgress', { GroupId: groupId, SecurityGroupRuleIds: [egress.SecurityGroupRuleId] }],
      ['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [v6.SecurityGroupRuleId] }],
    ]);
  });

  it('records the rules before and after for undo', async () => {
    stubGroup(ec2, [inScope, outside]);
    const result = await bot.run(botContext(bot, { resource, params: { scope: '1.0.0.0/16', direction: 'inbound' } }));
    expect(result.changes[0]!.undo).toEqual({
      kind: 'security-group-ingress',
      before: [
        { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '1.0.3.0/24' },
        { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '2.0.0.0/16' },
      ],
      after: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '2.0.0.0/16' }],
    });
  });

  it('is already compliant with no rule in scope, and writes nothing in dry run', async () => {
    stubGroup(ec2, [outside, wider]);
    const none = await bot.run(botContext(bot, { resource, params: { scope: '1.0.0.0/16', direction: 'inbound', port: 22 } }));
    expect(none).toEqual({
      status: 'already-compliant',
      message: `security group ${groupId} (web) has no inbound rules within 1.0.0.0/16 covering port 22`,
      changes: [],
    });
    stubGroup(ec2, [inScope]);
    const dry = await bot.run(botContext(bot, { resource, dryRun: true, params: { scope: '1.0.0.0/16', direction: 'inbound' } }));
    expect(dry.status).toBe('dry-run');
    expect(writes(ec2)).toEqual([]);
  });
});
