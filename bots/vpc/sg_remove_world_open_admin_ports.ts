import { z } from 'zod';
import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { isWorldOpen } from './cidr';
import {
  applyEdit,
  coversPort,
  isResult,
  protocolName,
  readGroup,
  remainingRanges,
  ruleCidr,
  ruleEditPermissions,
  rulesIn,
  withPorts,
} from './security-group-rules';
import { SECURITY_GROUP_RULES_UNDO, securityGroupUndoers } from './security-group-undo';

const NAME = 'sg_remove_world_open_admin_ports';
/** SSH and RDP: the remote server administration ports of CIS 4.1/4.2 (v1.2) and 5.2/5.3 (v1.4 on), EC2.13/14/53/54. */
export const ADMIN_PORTS = [22, 3389] as const;
const flag = z.union([z.boolean(), z.stringbool()]);

/** An inbound rule from anywhere (0.0.0.0/0 or ::/0) over TCP, UDP or all protocols that reaches port 22 or 3389. */
export function isWorldOpenAdminRule(rule: SecurityGroupRule): boolean {
  const cidr = ruleCidr(rule);
  const protocol = protocolName(rule.IpProtocol);
  return (
    !rule.IsEgress &&
    cidr !== undefined &&
    isWorldOpen(cidr) &&
    (protocol === 'tcp' || protocol === 'udp' || protocol === 'all') &&
    ADMIN_PORTS.some((port) => coversPort(rule, port))
  );
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove only the inbound rules open to the world (0.0.0.0/0, ::/0) that reach SSH (22) or RDP (3389)',
    description:
      'Revokes, by rule id, each inbound rule of the group whose source is 0.0.0.0/0 or ::/0 and whose TCP, UDP or ' +
      'all-protocol port range includes 22 or 3389. Every other rule stays: rules from narrower CIDRs, security groups or ' +
      'prefix lists, other ports, and all outbound rules. With split=true a wider TCP/UDP range (say 0-1024 from ' +
      '0.0.0.0/0) is replaced by the same rule over what is left of it without 22 and 3389 (0-21 and 23-1024), added ' +
      'before the wide rule is removed; an all-protocol rule has no ports to split and is removed whole. Each change ' +
      'records the rules before and after it, and `cloudmend undo` puts them back. A group with no such rule, or one ' +
      'that no longer exists, is already compliant. No CloudBots bot does this; sg_rules_delete (every rule) remains ' +
      'for the default group (EC2.2).',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    remediates: {
      securityHub: ['EC2.13', 'EC2.14', 'EC2.53', 'EC2.54', 'CIS.4.1', 'CIS.4.2', 'PCI.EC2.5'],
      config: ['restricted-ssh'],
    },
    params: z.strictObject({
      split: flag
        .default(false)
        .describe('keep the rest of a wider TCP/UDP port range by re-adding it without 22 and 3389 (default: remove the whole rule)'),
    }),
    positional: ['split'],
    overridable: ['split'],
    permissions: ruleEditPermissions(true),
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const { EC2Client } = await import('@aws-sdk/client-ec2');
    const ec2 = ctx.client(EC2Client);
    const group = await readGroup(ctx, ec2, NAME);
    if (isResult(group)) return group;

    const open = rulesIn(group.rules, 'inbound').filter(isWorldOpenAdminRule);
    const authorize = ctx.params.split
      ? open.flatMap((rule) => {
          if (protocolName(rule.IpProtocol) === 'all' || rule.FromPort === undefined || rule.FromPort === -1) return [];
          return remainingRanges(rule.FromPort, rule.ToPort ?? rule.FromPort, ADMIN_PORTS).map(([from, to]) => withPorts(rule, from, to));
        })
      : [];
    const changes = new ChangeSet(ctx);
    if (open.length > 0) await applyEdit(ctx, ec2, changes, group, { direction: 'inbound', revoke: open, authorize });
    const kept = authorize.length > 0 ? `, keeping the rest of their port ranges` : '';
    return changes.result(
      `removed ${open.length} world-open inbound rule(s) reaching port 22 or 3389 from ${group.label}${kept}`,
      `security group ${group.label} has no inbound rule from 0.0.0.0/0 or ::/0 reaching port 22 or 3389`,
    );
  },
});
