/** The world-open port bots, one definition over two port lists (bots/vpc/world-open-ports.ts), against moto. */
import admin from '../../../bots/vpc/sg_remove_world_open_admin_ports';
import highRisk from '../../../bots/vpc/sg_remove_world_open_high_risk_ports';
import { describeMoto } from '../../support/moto';
import { adminEc2, readRules, runOn, seedGroup, undoResult } from './sg-moto';

const BOTS = [
  { bot: admin, ports: '22/3389', first: 22, second: 3389, secondTo: 3389, label: 'ssh' },
  { bot: highRisk, ports: 'high-risk', first: 3306, second: 9200, secondTo: 9300, label: 'mysql' },
] as const;

describeMoto('the world-open port bots against moto', () => {
  it.each(BOTS)(
    '$bot.meta.name removes only the world-open rules on its ($ports) ports, keeps the rest, is then compliant, and undo restores the group',
    async ({ bot, first: port, second, secondTo, label }) => {
      const ec2 = await adminEc2();
      const groupId = await seedGroup(ec2, [
        {
          IpProtocol: 'tcp',
          FromPort: port,
          ToPort: port,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: label }, { CidrIp: '10.0.0.0/8' }],
        },
        { IpProtocol: 'tcp', FromPort: second, ToPort: secondTo, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ]);
      const seeded = await readRules(ec2, groupId);
      const egress = await readRules(ec2, groupId, true);

      const first = await runOn(bot, groupId);
      expect(first.status).toBe('remediated');
      expect(await readRules(ec2, groupId)).toEqual([
        { protocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: '10.0.0.0/8' },
        { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
      ]);
      expect(await readRules(ec2, groupId, true)).toEqual(egress);
      expect((await runOn(bot, groupId)).status).toBe('already-compliant');

      const undone = await undoResult(bot, groupId, first);
      expect(undone.map((o) => o.status)).toEqual(['restored']);
      expect(await readRules(ec2, groupId)).toEqual(seeded);
    },
  );
});
