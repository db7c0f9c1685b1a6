import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { isWorldOpen, sameCidr } from './cidr';
import {
  applyEdit,
  cidrParam,
  coversPort,
  directionParam,
  isResult,
  portParam,
  readGroup,
  ruleCidr,
  ruleEditPermissions,
  rulesIn,
  withCidr,
} from './security-group-rules';
import { SECURITY_GROUP_RULES_UNDO, securityGroupUndoers } from './security-group-undo';
import { sdk } from '../sdk';

const NAME = 'sg_modify_scope_by_port';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Change the CIDR of the security group rules covering a port',
    description:
      'For each rule of the given direction whose port range includes `port` (all-traffic rules included) and whose CIDR ' +
      'is `change_scope_from` (`*`: any CIDR), adds the same rule (protocol, ports, description) from `change_scope_to` ' +
      'and then revokes the old one by rule id: access from the new scope is in place before the old goes, and a retry ' +
      'after a failure only revokes. A rule keeps its whole port range (sg_single_rule_delete splits ranges). ' +
      '`change_scope_to` grants access, so only the config may set it (a finding may not), and a /0 block (the whole ' +
      'internet) is refused. Rules naming a security group or prefix list are never touched. Each change records the ' +
      'rules before and after it, and `cloudmend undo` puts them back. No rule to change is already compliant.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    params: z.strictObject({
      port: portParam.describe('the port whose rules change scope'),
      change_scope_from: z.union([z.literal('*'), cidrParam]).describe('the CIDR of the rules to change, exactly; `*`: any CIDR'),
      change_scope_to: cidrParam
        .refine((cidr) => !isWorldOpen(cidr), 'a block narrower than the whole internet (not 0.0.0.0/0 or ::/0)')
        .describe('the new CIDR of those rules (config only: it grants access)'),
      direction: directionParam.describe('inbound or outbound'),
    }),
    positional: ['port', 'change_scope_from', 'change_scope_to', 'direction'],
    overridable: ['port', 'change_scope_from', 'direction'],
    sensitiveParams: { change_scope_to: 'principal' },
    permissions: ruleEditPermissions(true),
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const { port, change_scope_from: from, change_scope_to: to, direction } = ctx.params;
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const group = await readGroup(ctx, ec2, NAME);
    if (isResult(group)) return group;

    const revoke = rulesIn(group.rules, direction).filter((rule) => {
      const cidr = ruleCidr(rule);
      return cidr !== undefined && coversPort(rule, port) && !sameCidr(cidr, to) && (from === '*' || sameCidr(cidr, from));
    });
    const authorize = revoke.map((rule) => withCidr(rule, to));
    const changes = new ChangeSet(ctx);
    if (revoke.length > 0) await applyEdit(ctx, ec2, changes, group, { direction, revoke, authorize });
    const which = `${direction} rule(s) for port ${port}${from === '*' ? '' : ` from ${from}`}`;
    return changes.result(
      `moved ${revoke.length} ${which} of ${group.label} to ${to}`,
      `security group ${group.label} has no ${which} other than ${to}`,
    );
  },
});
