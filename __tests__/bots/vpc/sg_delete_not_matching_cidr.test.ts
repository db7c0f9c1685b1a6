import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_delete_not_matching_cidr';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';
import { groupId, resource, rule, stubGroup, writes } from './sg-rules.fixtures';

const inside = rule('tcp', 22, 22, '10.163.4.0/24');
const outside = rule('tcp', 22, 22, '0.0.0.0/0');
const range = rule('tcp', 0, 1024, '192.168.0.0/16');
const v6 = rule('tcp', 22, 22, '::/0');
const otherPort = rule('tcp', 443, 443, '0.0.0.0/0');
const peerGroup = rule('tcp', 22, 22, '0.0.0.0/0', { CidrIpv4: undefined, ReferencedGroupInfo: { GroupId: 'sg-0aaaaaaaaaaaaaaaa' } });
const egress = rule('tcp', 22, 22, '0.0.0.0/0', { IsEgress: true });

describe('sg_delete_not_matching_cidr', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('parses the CloudBots positional form (port scope direction)', () => {
    expect(resolveParams(bot.meta, ['22', '10.163.0.0/16', 'inbound'])).toEqual({
      ok: true,
      params: { port: 22, scope: '10.163.0.0/16', direction: 'inbound' },
    });
    expect(resolveParams(bot.meta, ['*', '10.163.0.0/16', 'inbound']).ok).toBe(false);
  });

  it('revokes the rules reaching the port from outside the scope, other families included; keeps peers by group', async () => {
    stubGroup(ec2, [inside, outside, range, v6, otherPort, peerGroup, egress]);
    const result = await bot.run(botContext(bot, { resource, params: { port: 22, scope: '10.163.0.0/16', direction: 'inbound' } }));
    expect(writes(ec2)).toEqual([
      ['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [outside, range, v6].map((r) => r.SecurityGroupRuleId) }],
    ]);
    expect(result.message).toBe(`removed 3 inbound rule(s) for port 22 outside 10.163.0.0/16 from ${groupId} (web)`);
    expect(result.changes[0]!.undo!.after).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.163.4.0/24' },
      { protocol: 'tcp', fromPort: 22, toPort: 22, referencedGroupId: 'sg-0aaaaaaaaaaaaaaaa' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
    ]);
  });

  it('works outbound too', async () => {
    stubGroup(ec2, [egress, outside]);
    await bot.run(botContext(bot, { resource, params: { port: 22, scope: '10.0.0.0/8', direction: 'outbound' } }));
    expect(writes(ec2)).toEqual([['RevokeSecurityGroupEgress', { GroupId: groupId, SecurityGroupRuleIds: [egress.SecurityGroupRuleId] }]]);
  });

  it('is already compliant when every rule for the port lies within the scope; dry run writes nothing', async () => {
    stubGroup(ec2, [inside, otherPort]);
    const none = await bot.run(botContext(bot, { resource, params: { port: 22, scope: '10.163.0.0/16', direction: 'inbound' } }));
    expect(none.status).toBe('already-compliant');
    expect(none.message).toBe(`every inbound rule of ${groupId} (web) for port 22 lies within 10.163.0.0/16`);
    stubGroup(ec2, [outside]);
    const dry = await bot.run(
      botContext(bot, { resource, dryRun: true, params: { port: 22, scope: '10.163.0.0/16', direction: 'inbound' } }),
    );
    expect(dry.status).toBe('dry-run');
    expect(writes(ec2)).toEqual([]);
  });
});
