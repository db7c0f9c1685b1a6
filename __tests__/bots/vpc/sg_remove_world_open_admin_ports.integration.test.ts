import bot from '../../../bots/vpc/sg_remove_world_open_admin_ports';
import { describeMoto } from '../../support/moto';
import { adminEc2, readRules, runOn, seedGroup, undoResult } from './sg-moto';

describeMoto('sg_remove_world_open_admin_ports against moto', () => {
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
