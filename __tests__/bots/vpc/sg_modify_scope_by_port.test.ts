import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { AuthorizeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_modify_scope_by_port';
import { resolveParams, resolveRequestedParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';
import { groupId, resource, rule, stubGroup, writes } from './sg-rules.fixtures';

const world = rule('tcp', 22, 22, '0.0.0.0/0', { Description: 'ssh' });
const office = rule('tcp', 22, 22, '192.168.1.0/24');
const range = rule('udp', 0, 100, '::/0');
const otherPort = rule('tcp', 443, 443, '0.0.0.0/0');
const params = { port: 22, change_scope_from: '0.0.0.0/0', change_scope_to: '10.0.0.0/24', direction: 'inbound' };

describe('sg_modify_scope_by_port', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('parses the CloudBots positional form (port from to direction); only the config may set the new scope', () => {
    expect(resolveParams(bot.meta, ['22', '*', '10.0.0.0/24', 'inbound'])).toEqual({
      ok: true,
      params: { port: 22, change_scope_from: '*', change_scope_to: '10.0.0.0/24', direction: 'inbound' },
    });
    const fromFinding = resolveRequestedParams(bot.meta, ['22', '*', '10.0.0.0/24', 'inbound'], {}, 'finding');
    expect(fromFinding).toEqual({ ok: false, error: expect.stringContaining('a finding may not set change_scope_to') });
    const pinned = { change_scope_to: '10.0.0.0/24' };
    expect(resolveRequestedParams(bot.meta, ['port=22', 'change_scope_from=*', 'direction=inbound'], pinned, 'finding').ok).toBe(true);
  });

  it('refuses a world-open new scope and a bad old one', () => {
    expect(bot.meta.params.safeParse({ ...params, change_scope_to: '0.0.0.0/0' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ ...params, change_scope_to: '::/0' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ ...params, change_scope_from: 'any' }).success).toBe(false);
  });

  it('adds the rule from the new scope first, then revokes the old one; other scopes and ports stay', async () => {
    stubGroup(ec2, [world, office, otherPort]);
    const result = await bot.run(botContext(bot, { resource, params }));
    expect(writes(ec2)).toEqual([
      [
        'AuthorizeSecurityGroupIngress',
        {
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'ssh' }] }],
        },
      ],
      ['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [world.SecurityGroupRuleId] }],
    ]);
    expect(result.message).toBe(`moved 1 inbound rule(s) for port 22 from 0.0.0.0/0 of ${groupId} (web) to 10.0.0.0/24`);
  });

  it('with `*` moves every CIDR rule covering the port, IPv6 into IPv4, adding a rule once', async () => {
    const second = rule('tcp', 22, 22, '172.16.0.0/12', { Description: 'ssh' });
    stubGroup(ec2, [world, second, range, otherPort]);
    await bot.run(botContext(bot, { resource, params: { ...params, change_scope_from: '*' } }));
    expect(writes(ec2)).toEqual([
      [
        'AuthorizeSecurityGroupIngress',
        {
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/24', Description: 'ssh' }] },
            { IpProtocol: 'udp', FromPort: 0, ToPort: 100, IpRanges: [{ CidrIp: '10.0.0.0/24' }] },
          ],
        },
      ],
      ['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [world, second, range].map((r) => r.SecurityGroupRuleId) }],
    ]);
  });

  it('only revokes on a retry that finds the new rule already there', async () => {
    const moved = rule('tcp', 22, 22, '10.0.0.0/24', { Description: 'ssh' });
    stubGroup(ec2, [world, moved]);
    await bot.run(botContext(bot, { resource, params }));
    expect(writes(ec2)).toEqual([['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [world.SecurityGroupRuleId] }]]);
  });

  it('leaves the old rule when adding the new one fails', async () => {
    stubGroup(ec2, [world]);
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('RulesPerSecurityGroupLimitExceeded', 'too many rules'));
    await expect(bot.run(botContext(bot, { resource, params }))).rejects.toThrow('too many rules');
    expect(writes(ec2).map(([name]) => name)).toEqual(['AuthorizeSecurityGroupIngress']);
  });

  it('is already compliant when no rule for the port has the old scope; dry run writes nothing', async () => {
    stubGroup(ec2, [office, otherPort]);
    const none = await bot.run(botContext(bot, { resource, params }));
    expect(none.status).toBe('already-compliant');
    stubGroup(ec2, [world]);
    const dry = await bot.run(botContext(bot, { resource, params, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect(dry.changes.map((c) => c.action)).toEqual(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress']);
    expect(writes(ec2)).toEqual([]);
  });
});
