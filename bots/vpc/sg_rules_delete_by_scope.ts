import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { cidrWithin } from './cidr';
import {
  anyPortParam,
  anyProtocolParam,
  applyEdit,
  cidrParam,
  coversPort,
  directionParam,
  isResult,
  protocolName,
  readGroup,
  ruleCidr,
  ruleEditPermissions,
  rulesIn,
} from './security-group-rules';
import { SECURITY_GROUP_RULES_UNDO, securityGroupUndoers } from './security-group-undo';
import { sdk } from '../sdk';

const NAME = 'sg_rules_delete_by_scope';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove the rules of the security group whose CIDR lies within a scope (optionally one port and protocol)',
    description:
      'Revokes, by rule id in one call, each rule of the given direction whose CIDR block lies within `scope` (equal to ' +
      'it or narrower; 10.1.2.0/24 lies within 10.0.0.0/8; IPv4 and IPv6 never within each other) and, unless `*`, ' +
      'whose port range includes `port` and whose protocol is `protocol`. An all-traffic rule allows every protocol and ' +
      'port, so it matches any port and protocol. Rules are removed whole, never split (sg_single_rule_delete splits). ' +
      'Rules naming a security group or prefix list, and the other direction, are never touched. Each change records the ' +
      'rules before and after it, and `cloudmend undo` puts them back. No matching rule is already compliant.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    params: z.strictObject({
      scope: cidrParam.describe('remove rules whose CIDR lies within this block (a.b.c.d/e or IPv6)'),
      direction: directionParam.describe('inbound or outbound'),
      port: anyPortParam.default('*').describe('only rules whose port range includes this port; `*` (default): any port'),
      protocol: anyProtocolParam.default('*').describe('only rules of this protocol (tcp, udp, icmp, icmpv6, all); `*` (default): any'),
    }),
    positional: ['scope', 'direction', 'port', 'protocol'],
    overridable: ['scope', 'direction', 'port', 'protocol'],
    permissions: ruleEditPermissions(false),
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const { scope, direction, port, protocol } = ctx.params;
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const group = await readGroup(ctx, ec2, NAME);
    if (isResult(group)) return group;

    const revoke = rulesIn(group.rules, direction).filter((rule) => {
      const cidr = ruleCidr(rule);
      const ruleProtocol = protocolName(rule.IpProtocol);
      return (
        cidr !== undefined &&
        cidrWithin(cidr, scope) &&
        (port === '*' || coversPort(rule, port)) &&
        (protocol === '*' || ruleProtocol === protocol || ruleProtocol === 'all')
      );
    });
    const changes = new ChangeSet(ctx);
    if (revoke.length > 0) await applyEdit(ctx, ec2, changes, group, { direction, revoke });
    const filter = `${direction} rules within ${scope}${port === '*' ? '' : ` covering port ${port}`}${protocol === '*' ? '' : ` (${protocol})`}`;
    return changes.result(`removed ${revoke.length} ${filter} from ${group.label}`, `security group ${group.label} has no ${filter}`);
  },
});
