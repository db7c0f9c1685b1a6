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

const NAME = 'sg_remove_world_open_high_risk_ports';

/**
 * The high-risk ports of Security Hub EC2.19 (the control's `blockedPorts`,
 * which AWS's remediation solution uses too): FTP, SSH, Telnet, SMTP, POP3,
 * RPC, IMAP, SMB, SQL Server, dev servers, MySQL, Postgres, Kibana, web
 * proxies, Elasticsearch.
 */
export const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
] as const;
const flag = z.union([z.boolean(), z.stringbool()]);

/** An inbound rule from anywhere (0.0.0.0/0 or ::/0) over TCP, UDP or all protocols that reaches a high-risk port. */
export function isWorldOpenHighRiskRule(rule: SecurityGroupRule): boolean {
  const cidr = ruleCidr(rule);
  const protocol = protocolName(rule.IpProtocol);
  return (
    !rule.IsEgress &&
    cidr !== undefined &&
    isWorldOpen(cidr) &&
    (protocol === 'tcp' || protocol === 'udp' || protocol === 'all') &&
    HIGH_RISK_PORTS.some((port) => coversPort(rule, port))
  );
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove only the inbound rules open to the world (0.0.0.0/0, ::/0) that reach a high-risk port (EC2.19)',
    description:
      `Revokes, by rule id, each inbound rule of the group whose source is 0.0.0.0/0 or ::/0 and whose TCP, UDP or all-protocol ` +
      `port range includes one of the ports Security Hub EC2.19 calls high-risk (${HIGH_RISK_PORTS.join(', ')}). Every other ` +
      'rule stays: rules from narrower CIDRs, security groups or prefix lists, other ports (80 and 443 among them), and all ' +
      'outbound rules. With split=true a wider TCP/UDP range is replaced by what is left of it without the high-risk ports, ' +
      'added before the wide rule is removed; an all-protocol rule is removed whole. Each change records the rules before and ' +
      'after it, and `cloudmend undo` puts them back. Same behaviour as sg_remove_world_open_admin_ports, over the longer list.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    remediates: { securityHub: ['EC2.19'], config: ['restricted-common-ports'] },
    params: z.strictObject({
      split: flag
        .default(false)
        .describe(
          'keep the rest of a wider TCP/UDP port range by re-adding it without the high-risk ports (default: remove the whole rule)',
        ),
    }),
    positional: ['split'],
    overridable: ['split'],
    // Inbound rules only: it never touches outbound ones.
    permissions: ruleEditPermissions(true, ['inbound']),
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const { EC2Client } = await import('@aws-sdk/client-ec2');
    const ec2 = ctx.client(EC2Client);
    const group = await readGroup(ctx, ec2, NAME);
    if (isResult(group)) return group;

    const open = rulesIn(group.rules, 'inbound').filter(isWorldOpenHighRiskRule);
    const authorize = ctx.params.split
      ? open.flatMap((rule) => {
          if (protocolName(rule.IpProtocol) === 'all' || rule.FromPort === undefined || rule.FromPort === -1) return [];
          return remainingRanges(rule.FromPort, rule.ToPort ?? rule.FromPort, HIGH_RISK_PORTS).map(([from, to]) =>
            withPorts(rule, from, to),
          );
        })
      : [];
    const changes = new ChangeSet(ctx);
    if (open.length > 0) await applyEdit(ctx, ec2, changes, group, { direction: 'inbound', revoke: open, authorize });
    const kept = authorize.length > 0 ? ', keeping the rest of their port ranges' : '';
    return changes.result(
      `removed ${open.length} world-open inbound rule(s) reaching a high-risk port from ${group.label}${kept}`,
      `security group ${group.label} has no inbound rule from 0.0.0.0/0 or ::/0 reaching a high-risk port`,
    );
  },
});
