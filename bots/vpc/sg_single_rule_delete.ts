import { z } from 'zod';
import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { sameCidr } from './cidr';
import {
  applyEdit,
  cidrParam,
  coversPort,
  directionParam,
  isResult,
  portParam,
  protocolName,
  readGroup,
  remainingRanges,
  ruleCidr,
  ruleEditPermissions,
  rulesIn,
  withPorts,
} from './security-group-rules';
import { describeRule } from './security-group-rule-text';
import { SECURITY_GROUP_RULES_UNDO, securityGroupUndoers } from './security-group-undo';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const NAME = 'sg_single_rule_delete';

function isWholeRange(rule: SecurityGroupRule): boolean {
  return rule.FromPort === 0 && rule.ToPort === 65535;
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove one rule of the security group, by protocol, scope (CIDR), direction and port',
    description:
      'Finds the rules of the given direction whose protocol is `protocol` (TCP or UDP), whose CIDR is exactly `scope` ' +
      '(IPv4 or IPv6) and whose port range includes `port`, and revokes them by rule id. A rule for exactly that port ' +
      'is always removed. A wider range (say 20-30 for port 22) is left alone unless split=true: then the same rule over ' +
      'what is left of the range (20-21 and 23-30) is added first and the wide rule removed after, so access to the other ' +
      'ports never lapses. As in CloudBots, port=0 with split=true removes a rule open on all ports (0-65535) whole. ' +
      'Rules of other protocols (an all-traffic rule included), scopes, security-group or prefix-list peers are never ' +
      'touched. Each change records the rules before and after it, and `cloudmend undo` puts them back. No matching ' +
      'rule is already compliant; only a wider one with split=false is skipped, saying so.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    params: z.strictObject({
      split: flagParam
        .default(false)
        .describe('split a wider port range around `port`, keeping the rest of it (default: leave wider ranges)'),
      protocol: z
        .preprocess((v) => (typeof v === 'string' ? protocolName(v) : v), z.enum(['tcp', 'udp']))
        .describe('the rule protocol: TCP or UDP (any case, or 6 / 17)'),
      scope: cidrParam.describe("the rule's CIDR block, exactly (a.b.c.d/e or an IPv6 block)"),
      direction: directionParam.describe('inbound or outbound'),
      port: portParam.describe('the port to close (0-65535; 0 with split=true: a rule open on all ports)'),
    }),
    positional: ['split', 'protocol', 'scope', 'direction', 'port'],
    overridable: ['split', 'protocol', 'scope', 'direction', 'port'],
    permissions: ruleEditPermissions(true),
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const { split, protocol, scope, direction, port } = ctx.params;
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const group = await readGroup(ctx, ec2, NAME);
    if (isResult(group)) return group;

    const candidates = rulesIn(group.rules, direction).filter((rule) => {
      const cidr = ruleCidr(rule);
      return protocolName(rule.IpProtocol) === protocol && cidr !== undefined && sameCidr(cidr, scope) && coversPort(rule, port);
    });
    const exact = candidates.filter((rule) => rule.FromPort === port && rule.ToPort === port);
    const whole = split && port === 0 ? candidates.filter(isWholeRange) : [];
    const wider = candidates.filter((rule) => !exact.includes(rule) && !whole.includes(rule));
    const what = `${direction} ${protocol} port ${port} ${direction === 'inbound' ? 'from' : 'to'} ${scope}`;
    if (exact.length + whole.length === 0 && wider.length > 0 && !split) {
      return skipped(
        `${what} is allowed in ${group.label} only within a wider rule (${wider.map(describeRule).join('; ')}); ` +
          'left as it is: set split=true to replace it with the rest of its range',
      );
    }
    const splitting = split ? wider : [];
    const authorize = splitting.flatMap((rule) =>
      remainingRanges(rule.FromPort ?? port, rule.ToPort ?? port, [port]).map(([from, to]) => withPorts(rule, from, to)),
    );
    const revoke = [...exact, ...whole, ...splitting];
    const changes = new ChangeSet(ctx);
    if (revoke.length > 0) await applyEdit(ctx, ec2, changes, group, { direction, revoke, authorize });
    const stillWider = split ? [] : wider;
    const note =
      stillWider.length > 0 ? `; still allowed by the wider rule(s) ${stillWider.map(describeRule).join('; ')} (split=false)` : '';
    return changes.result(
      `removed ${what} from ${group.label}${splitting.length > 0 ? ', keeping the rest of the wider range' : ''}${note}`,
      `security group ${group.label} has no ${protocol} rule ${direction === 'inbound' ? 'from' : 'to'} ${scope} covering ${direction} port ${port}`,
    );
  },
});
