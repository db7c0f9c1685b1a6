/**
 * The bots that remove only the inbound rules open to the world (0.0.0.0/0,
 * ::/0) reaching some ports: the same read, match, split and undo, over a
 * different list of ports (the admin ports of EC2.13/14, the high-risk ports
 * of EC2.19).
 */
import { z } from 'zod';
import type { SecurityGroupRule } from '@aws-sdk/client-ec2';
import { ChangeSet } from '../changes';
import { type Bot, type BotMeta, defineBot } from '../types';
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
import { sdk } from '../sdk';
import { flagParam } from '../args';

/** An inbound rule from anywhere (0.0.0.0/0 or ::/0) over TCP, UDP or all protocols that reaches one of `ports`. */
export function isWorldOpenRuleReaching(rule: SecurityGroupRule, ports: readonly number[]): boolean {
  const cidr = ruleCidr(rule);
  const protocol = protocolName(rule.IpProtocol);
  return (
    !rule.IsEgress &&
    cidr !== undefined &&
    isWorldOpen(cidr) &&
    (protocol === 'tcp' || protocol === 'udp' || protocol === 'all') &&
    ports.some((port) => coversPort(rule, port))
  );
}

export interface WorldOpenPortsBot extends Pick<BotMeta, 'name' | 'summary' | 'description' | 'remediates'> {
  ports: readonly number[];
  /** How results name the ports: `port 22 or 3389`, `a high-risk port`. */
  portsText: string;
  /** How the split param names what a kept range leaves out: `22 and 3389`, `the high-risk ports`. */
  withoutText: string;
}

export function defineWorldOpenPortsBot(spec: WorldOpenPortsBot): Bot {
  const { ports, portsText, withoutText, ...meta } = spec;
  return defineBot({
    meta: {
      ...meta,
      resourceTypes: ['AWS::EC2::SecurityGroup'],
      params: z.strictObject({
        split: flagParam
          .default(false)
          .describe(`keep the rest of a wider TCP/UDP port range by re-adding it without ${withoutText} (default: remove the whole rule)`),
      }),
      positional: ['split'],
      overridable: ['split'],
      // Inbound rules only: it never touches outbound ones.
      permissions: ruleEditPermissions(true, ['inbound']),
      undo: SECURITY_GROUP_RULES_UNDO,
    },
    undoers: securityGroupUndoers,
    async run(ctx) {
      const { EC2Client } = await sdk.ec2();
      const ec2 = ctx.client(EC2Client);
      const group = await readGroup(ctx, ec2, meta.name);
      if (isResult(group)) return group;

      const open = rulesIn(group.rules, 'inbound').filter((rule) => isWorldOpenRuleReaching(rule, ports));
      const authorize = ctx.params.split
        ? open.flatMap((rule) => {
            if (protocolName(rule.IpProtocol) === 'all' || rule.FromPort === undefined || rule.FromPort === -1) return [];
            return remainingRanges(rule.FromPort, rule.ToPort ?? rule.FromPort, ports).map(([from, to]) => withPorts(rule, from, to));
          })
        : [];
      const changes = new ChangeSet(ctx);
      if (open.length > 0) await applyEdit(ctx, ec2, changes, group, { direction: 'inbound', revoke: open, authorize });
      const kept = authorize.length > 0 ? ', keeping the rest of their port ranges' : '';
      return changes.result(
        `removed ${open.length} world-open inbound rule(s) reaching ${portsText} from ${group.label}${kept}`,
        `security group ${group.label} has no inbound rule from 0.0.0.0/0 or ::/0 reaching ${portsText}`,
      );
    },
  });
}
