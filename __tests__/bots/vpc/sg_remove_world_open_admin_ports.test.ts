import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/vpc/sg_remove_world_open_admin_ports';
import sgRulesDelete from '../../../bots/vpc/sg_rules_delete';
import { defaultMappingTable, normaliseControlId } from '../../../bots/remediates';
import { BOTS } from '../../../bots';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';
import { groupId, resource, rule, stubGroup, target, writes } from './sg-rules.fixtures';

const ssh = rule('tcp', 22, 22, '0.0.0.0/0', { Description: 'ssh' });
const rdp6 = rule('tcp', 3389, 3389, '::/0');
const wide = rule('tcp', 0, 1024, '0.0.0.0/0', { Description: 'low ports' });
const everything = rule('-1', -1, -1, '0.0.0.0/0');
const sshOffice = rule('tcp', 22, 22, '10.0.0.0/8');
const https = rule('tcp', 443, 443, '0.0.0.0/0');
const icmp = rule('icmp', -1, -1, '0.0.0.0/0');
const egressSsh = rule('tcp', 22, 22, '0.0.0.0/0', { IsEgress: true });

describe('sg_remove_world_open_admin_ports', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('revokes only the world-open inbound rules reaching 22 or 3389, by id, in one call', async () => {
    stubGroup(ec2, [ssh, rdp6, wide, everything, sshOffice, https, icmp, egressSsh]);
    const result = await bot.run(botContext(bot, { resource }));
    expect(writes(ec2)).toEqual([
      [
        'RevokeSecurityGroupIngress',
        { GroupId: groupId, SecurityGroupRuleIds: [ssh, rdp6, wide, everything].map((r) => r.SecurityGroupRuleId) },
      ],
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`removed 4 world-open inbound rule(s) reaching port 22 or 3389 from ${groupId} (web)`);
    expect(result.changes[0]).toMatchObject({ action: 'ec2:RevokeSecurityGroupIngress', target, applied: true });
    expect(result.changes[0]!.description).toContain(`${ssh.SecurityGroupRuleId} inbound tcp port 22 from 0.0.0.0/0 "ssh"`);
  });

  it('records every inbound rule before and the ones left after, for undo', async () => {
    stubGroup(ec2, [ssh, https]);
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.changes[0]!.undo).toEqual({
      kind: 'security-group-ingress',
      before: [
        { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0', description: 'ssh' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
      ],
      after: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }],
    });
  });

  it('with split=true re-adds the rest of a wider range first, then revokes; an all-protocol rule goes whole', async () => {
    stubGroup(ec2, [wide, everything, https]);
    const result = await bot.run(botContext(bot, { resource, params: { split: 'true' } }));
    expect(writes(ec2)).toEqual([
      [
        'AuthorizeSecurityGroupIngress',
        {
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 0, ToPort: 21, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'low ports' }] },
            { IpProtocol: 'tcp', FromPort: 23, ToPort: 1024, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'low ports' }] },
          ],
        },
      ],
      [
        'RevokeSecurityGroupIngress',
        { GroupId: groupId, SecurityGroupRuleIds: [wide.SecurityGroupRuleId, everything.SecurityGroupRuleId] },
      ],
    ]);
    expect(result.message).toMatch(/keeping the rest of their port ranges$/);
    const [added, removed] = result.changes;
    expect(added!.description).toBe(
      `added 2 inbound rules to ${groupId} (web): inbound tcp ports 0-21 from 0.0.0.0/0 "low ports"; inbound tcp ports 23-1024 from 0.0.0.0/0 "low ports"`,
    );
    // The authorize's "after" is the revoke's "before": undo walks them back newest first.
    expect(removed!.undo!.before).toEqual(added!.undo!.after);
    expect(removed!.undo!.after).toEqual([
      { protocol: 'tcp', fromPort: 0, toPort: 21, cidrIpv4: '0.0.0.0/0', description: 'low ports' },
      { protocol: 'tcp', fromPort: 23, toPort: 1024, cidrIpv4: '0.0.0.0/0', description: 'low ports' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
    ]);
  });

  it('splits a range holding both ports into three, and skips pieces the group already has (a retried run)', async () => {
    const both = rule('udp', 20, 4000, '::/0');
    const already = rule('udp', 20, 21, '::/0');
    stubGroup(ec2, [both, already]);
    await bot.run(botContext(bot, { resource, params: { split: true } }));
    expect(writes(ec2)[0]![1]).toEqual({
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: 'udp', FromPort: 23, ToPort: 3388, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'udp', FromPort: 3390, ToPort: 4000, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      ],
    });
  });

  it('is already compliant, writing nothing, when no world-open rule reaches 22 or 3389', async () => {
    stubGroup(ec2, [sshOffice, https, icmp, egressSsh]);
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `security group ${groupId} (web) has no inbound rule from 0.0.0.0/0 or ::/0 reaching port 22 or 3389`,
      changes: [],
    });
    expect(writes(ec2)).toEqual([]);
  });

  it('is already compliant when the group no longer exists', async () => {
    stubGroup(ec2, []);
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound', 'gone'));
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('already-compliant');
  });

  it('in dry run reports what it would remove and add, and writes nothing', async () => {
    stubGroup(ec2, [wide]);
    const result = await bot.run(botContext(bot, { resource, dryRun: true, params: { split: true } }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['ec2:AuthorizeSecurityGroupIngress', false],
      ['ec2:RevokeSecurityGroupIngress', false],
    ]);
    expect(writes(ec2)).toEqual([]);
  });

  it('fails instead of claiming success when EC2 answers Return=false', async () => {
    stubGroup(ec2, [ssh]);
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: false });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(/did not revoke the inbound rules/);
  });

  it('refuses a resource that is not a security group id, and a bad split value', async () => {
    stubGroup(ec2, [ssh]);
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: 'web' } }))).rejects.toThrow(/not a security group id/);
    expect(ec2.calls()).toHaveLength(0);
    expect(bot.meta.params.safeParse({ split: 'maybe' }).success).toBe(false);
    expect(bot.meta.params.safeParse({ ports: '22' }).success).toBe(false);
  });

  it('is the default for the world-open SSH/RDP controls, and sg_rules_delete (every rule) only for the default group', () => {
    const table = defaultMappingTable(BOTS);
    for (const id of ['EC2.13', 'EC2.14', 'EC2.53', 'EC2.54', 'CIS.4.1', 'CIS.4.2', '4.1', 'PCI.EC2.5']) {
      expect({ id, bots: table.securityHub.get(normaliseControlId(id))?.bots }).toEqual({ id, bots: [bot.meta.name] });
    }
    expect(sgRulesDelete.meta.remediates?.securityHub).toEqual(['EC2.2', 'CIS.4.3', 'PCI.EC2.2']);
    expect(bot.meta.destructive).toBeFalsy();
  });
});
