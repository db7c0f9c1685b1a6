import bot from '../../../bots/vpc/sg_remove_world_open_admin_ports';
import { describeMoto } from '../../support/moto';
import { adminEc2, readRules, runOn, seedGroup, undoResult } from './sg-moto';

describeMoto('sg_remove_world_open_admin_ports against moto', () => {
  it('removes only the world-open 22/3389 rules, keeps the rest, is then compliant, and undo restores the group', async () => {
    const ec2 = await adminEc2();
    const groupId = await seedGroup(ec2, [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }, { CidrIp: '10.0.0.0/8' }] },
      { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ]);
    const seeded = await readRules(ec2, groupId);
    const egress = await readRules(ec2, groupId, true);

    const first = await runOn(bot, groupId);
    expect(first.status).toBe('remediated');
    expect(await readRules(ec2, groupId)).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' },
      { protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
    ]);
    expect(await readRules(ec2, groupId, true)).toEqual(egress);
    expect((await runOn(bot, groupId)).status).toBe('already-compliant');

    const undone = await undoResult(bot, groupId, first);
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    expect(await readRules(ec2, groupId)).toEqual(seeded);
  });

  it('with split=true keeps the rest of a wide range, and undo removes the pieces and restores the range', async () => {
    const ec2 = await adminEc2();
    const groupId = await seedGroup(ec2, [
      { IpProtocol: 'tcp', FromPort: 0, ToPort: 1024, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'low' }] },
    ]);
    const seeded = await readRules(ec2, groupId);

    const first = await runOn(bot, groupId, { split: true });
    expect(first.status).toBe('remediated');
    expect(await readRules(ec2, groupId)).toEqual([
      { protocol: 'tcp', fromPort: 0, toPort: 21, cidrIpv4: '0.0.0.0/0', description: 'low' },
      { protocol: 'tcp', fromPort: 23, toPort: 1024, cidrIpv4: '0.0.0.0/0', description: 'low' },
    ]);
    expect((await runOn(bot, groupId, { split: true })).status).toBe('already-compliant');

    const undone = await undoResult(bot, groupId, first);
    expect(undone.map((o) => o.status)).toEqual(['restored', 'restored']);
    expect(await readRules(ec2, groupId)).toEqual(seeded);
  });
});
