import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { EC2Client } from '@aws-sdk/client-ec2';
import bot, { HIGH_RISK_PORTS } from '../../../bots/vpc/sg_remove_world_open_high_risk_ports';
import { defaultMappingTable, normaliseControlId } from '../../../bots/remediates';
import { BOTS } from '../../../bots';
import { botContext } from '../../support/bot-context';
import { groupId, resource, rule, stubGroup, writes } from './sg-rules.fixtures';

const mysql = rule('tcp', 3306, 3306, '0.0.0.0/0', { Description: 'mysql' });
const kibana6 = rule('tcp', 5601, 5601, '::/0');
const smbUdp = rule('udp', 445, 445, '0.0.0.0/0');
const everything = rule('-1', -1, -1, '0.0.0.0/0');
const web = rule('tcp', 8000, 8100, '0.0.0.0/0', { Description: 'dev' });
const https = rule('tcp', 443, 443, '0.0.0.0/0');
const http = rule('tcp', 80, 80, '::/0');
const mysqlOffice = rule('tcp', 3306, 3306, '10.0.0.0/8');
const egressSmtp = rule('tcp', 25, 25, '0.0.0.0/0', { IsEgress: true });

describe('sg_remove_world_open_high_risk_ports', () => {
  let ec2: AwsClientStub<EC2Client>;
  beforeAll(() => {
    ec2 = mockClient(EC2Client);
  });
  afterAll(() => ec2.restore());

  it('revokes the world-open inbound rules reaching a high-risk port, by id; 80, 443, narrower sources and outbound stay', async () => {
    stubGroup(ec2, [mysql, kibana6, smbUdp, everything, web, https, http, mysqlOffice, egressSmtp]);
    const result = await bot.run(botContext(bot, { resource }));
    expect(writes(ec2)).toEqual([
      [
        'RevokeSecurityGroupIngress',
        { GroupId: groupId, SecurityGroupRuleIds: [mysql, kibana6, smbUdp, everything, web].map((r) => r.SecurityGroupRuleId) },
      ],
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`removed 5 world-open inbound rule(s) reaching a high-risk port from ${groupId} (web)`);
    expect(result.changes[0]!.undo).toMatchObject({ kind: 'security-group-ingress' });
  });

  it('with split=true re-adds a wider range without the high-risk ports before revoking it', async () => {
    stubGroup(ec2, [web]);
    await bot.run(botContext(bot, { resource, params: { split: 'true' } }));
    const [authorize, revoke] = writes(ec2);
    expect(authorize![0]).toBe('AuthorizeSecurityGroupIngress');
    const ranges = (authorize![1] as { IpPermissions: Array<{ FromPort: number; ToPort: number }> }).IpPermissions.map((p) => [
      p.FromPort,
      p.ToPort,
    ]);
    expect(ranges).toEqual([
      [8000, 8079],
      [8081, 8087],
      [8089, 8100],
    ]);
    expect(revoke).toEqual(['RevokeSecurityGroupIngress', { GroupId: groupId, SecurityGroupRuleIds: [web.SecurityGroupRuleId] }]);
  });

  it('is already compliant with only safe world-open rules, and writes nothing', async () => {
    stubGroup(ec2, [https, http, mysqlOffice, egressSmtp]);
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `security group ${groupId} (web) has no inbound rule from 0.0.0.0/0 or ::/0 reaching a high-risk port`,
      changes: [],
    });
    expect(writes(ec2)).toEqual([]);
  });

  it('in dry run reports the revocation and makes no write', async () => {
    stubGroup(ec2, [mysql]);
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(writes(ec2)).toEqual([]);
  });

  it('covers the ports of Security Hub EC2.19 and is its default mapping', () => {
    expect(HIGH_RISK_PORTS).toEqual(expect.arrayContaining([22, 3389, 3306, 5432, 1433, 445, 9200]));
    expect(defaultMappingTable(BOTS).securityHub.get(normaliseControlId('EC2.19'))?.bots).toEqual([bot.meta.name]);
  });
});
