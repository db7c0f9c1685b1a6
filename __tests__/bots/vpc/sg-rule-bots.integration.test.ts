/**
 * sg_single_rule_delete, sg_rules_delete_by_scope, sg_delete_not_matching_cidr
 * and sg_modify_scope_by_port against moto: each seeds a group, runs the bot
 * with its own session policy, reads the rules back, runs again (already
 * compliant), and undoes the first run back to the seeded rules.
 */
import type { IpPermission } from '@aws-sdk/client-ec2';
import type { Bot } from '../../../bots/types';
import sgDeleteNotMatchingCidr from '../../../bots/vpc/sg_delete_not_matching_cidr';
import sgModifyScopeByPort from '../../../bots/vpc/sg_modify_scope_by_port';
import sgRulesDeleteByScope from '../../../bots/vpc/sg_rules_delete_by_scope';
import sgSingleRuleDelete from '../../../bots/vpc/sg_single_rule_delete';
import { describeMoto } from '../../support/moto';
import { adminEc2, readRules, runOn, seedGroup, undoResult } from './sg-moto';

const SEED: IpPermission[] = [
  { IpProtocol: 'tcp', FromPort: 20, ToPort: 30, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ops' }] },
  { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.1.2.0/24' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
  { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
];

const rule = (fromPort: number, toPort: number, cidr: string, description?: string) => ({
  protocol: 'tcp',
  fromPort,
  toPort,
  ...(cidr.includes(':') ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
  ...(description ? { description } : {}),
});

const cases: Array<[string, Bot, Record<string, unknown>, ReturnType<typeof rule>[], number]> = [
  [
    'sg_single_rule_delete splits 20-30 around 22',
    sgSingleRuleDelete,
    { split: 'true', protocol: 'TCP', scope: '0.0.0.0/0', direction: 'inbound', port: '22' },
    [
      rule(20, 21, '0.0.0.0/0', 'ops'),
      rule(22, 22, '10.1.2.0/24'),
      rule(22, 22, '::/0'),
      rule(23, 30, '0.0.0.0/0', 'ops'),
      rule(443, 443, '0.0.0.0/0'),
    ],
    2,
  ],
  [
    'sg_rules_delete_by_scope removes what lies within 10.0.0.0/8',
    sgRulesDeleteByScope,
    { scope: '10.0.0.0/8', direction: 'inbound', port: '*', protocol: '*' },
    [rule(20, 30, '0.0.0.0/0', 'ops'), rule(22, 22, '::/0'), rule(443, 443, '0.0.0.0/0')],
    1,
  ],
  [
    'sg_delete_not_matching_cidr keeps only 10.0.0.0/8 on port 22',
    sgDeleteNotMatchingCidr,
    { port: 22, scope: '10.0.0.0/8', direction: 'inbound' },
    [rule(22, 22, '10.1.2.0/24'), rule(443, 443, '0.0.0.0/0')],
    1,
  ],
  [
    'sg_modify_scope_by_port moves 0.0.0.0/0 on 22 to 10.9.0.0/16, whole range kept',
    sgModifyScopeByPort,
    { port: 22, change_scope_from: '0.0.0.0/0', change_scope_to: '10.9.0.0/16', direction: 'inbound' },
    [rule(20, 30, '10.9.0.0/16', 'ops'), rule(22, 22, '10.1.2.0/24'), rule(22, 22, '::/0'), rule(443, 443, '0.0.0.0/0')],
    2,
  ],
];

describeMoto('security group rule bots against moto', () => {
  it.each(cases)('%s; then already compliant; undo restores the seeded rules', async (_label, bot, params, expected, writes) => {
    const ec2 = await adminEc2();
    const groupId = await seedGroup(ec2, SEED);
    const seeded = await readRules(ec2, groupId);
    const egress = await readRules(ec2, groupId, true);

    const first = await runOn(bot, groupId, params);
    expect(first.status).toBe('remediated');
    expect(first.changes).toHaveLength(writes);
    expect(await readRules(ec2, groupId)).toEqual(expected);
    expect(await readRules(ec2, groupId, true)).toEqual(egress);
    expect((await runOn(bot, groupId, params)).status).toBe('already-compliant');

    const undone = await undoResult(bot, groupId, first);
    expect(undone.map((o) => [o.status, o.message])).toEqual(undone.map((o) => ['restored', o.message]));
    expect(await readRules(ec2, groupId)).toEqual(seeded);
  });

  it('undo refuses, changing nothing, once the rules changed after the remediation', async () => {
    const ec2 = await adminEc2();
    const groupId = await seedGroup(ec2, SEED);
    const first = await runOn(sgRulesDeleteByScope, groupId, { scope: '0.0.0.0/0', direction: 'inbound', port: '443' });
    expect(first.status).toBe('remediated');
    await runOn(sgRulesDeleteByScope, groupId, { scope: '::/0', direction: 'inbound' });
    const before = await readRules(ec2, groupId);
    const undone = await undoResult(sgRulesDeleteByScope, groupId, first);
    expect(undone.map((o) => o.status)).toEqual(['refused']);
    expect(await readRules(ec2, groupId)).toEqual(before);
  });
});
