import bot from '../../../bots/vpc/sg_remove_world_open_high_risk_ports';
import { describeMoto } from '../../support/moto';
import { adminEc2, readRules, runOn, seedGroup, undoResult } from './sg-moto';

describeMoto('sg_remove_world_open_high_risk_ports against moto', () => {
  it('removes only the world-open rules reaching high-risk ports, is then compliant, and undo restores the group', async () => {
    const ec2 = await adminEc2();
    const groupId = await seedGroup(ec2, [
      {
        IpProtocol: 'tcp',
        FromPort: 3306,
        ToPort: 3306,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'mysql' }, { CidrIp: '10.0.0.0/8' }],
      },
      { IpProtocol: 'tcp', FromPort: 9200, ToPort: 9300, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ]);
    const seeded = await readRules(ec2, groupId);
    const egress = await readRules(ec2, groupId, true);

    const first = await runOn(bot, groupId);
    expect(first.status).toBe('remediated');
    expect(await readRules(ec2, groupId)).toEqual([
      { protocol: 'tcp', fromPort: 3306, toPort: 3306, cidrIpv4: '10.0.0.0/8' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
    ]);
    expect(await readRules(ec2, groupId, true)).toEqual(egress);
    expect((await runOn(bot, groupId)).status).toBe('already-compliant');

    const undone = await undoResult(bot, groupId, first);
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    expect(await readRules(ec2, groupId)).toEqual(seeded);
  });
});
