import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { cidrWithin } from './cidr';
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
} from './security-group-rules';
import { SECURITY_GROUP_RULES_UNDO, securityGroupUndoers } from './security-group-undo';
import { sdk } from '../sdk';

const NAME = 'sg_delete_not_matching_cidr';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Remove the rules for a port whose CIDR lies outside the allowed block',
    description:
      'Revokes, by rule id in one call, each rule of the given direction whose port range includes `port` (all-traffic ' +
      'rules included) and whose CIDR block does not lie within `scope`, the block allowed to reach that port (a block ' +
      'of the other address family lies outside it: ::/0 is removed when 10.0.0.0/8 is allowed). Rules are removed whole, ' +
      'other ports of their range included. Rules naming a security group or prefix list have no CIDR and are kept, as ' +
      'is the other direction. Each change records the rules before and after it, and `cloudmend undo` puts them back. ' +
      'No rule outside the scope is already compliant.',
    resourceTypes: ['AWS::EC2::SecurityGroup'],
    params: z.strictObject({
      port: portParam.describe('the port whose rules are checked'),
      scope: cidrParam.describe('the CIDR block allowed to reach the port (a.b.c.d/e or IPv6); rules outside it are removed'),
      direction: directionParam.describe('inbound or outbound'),
    }),
    positional: ['port', 'scope', 'direction'],
    overridable: ['port', 'scope', 'direction'],
    permissions: ruleEditPermissions(false),
    undo: SECURITY_GROUP_RULES_UNDO,
  },
  undoers: securityGroupUndoers,
  async run(ctx) {
    const { port, scope, direction } = ctx.params;
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const group = await readGroup(ctx, ec2, NAME);
    if (isResult(group)) return group;

    const revoke = rulesIn(group.rules, direction).filter((rule) => {
      const cidr = ruleCidr(rule);
      return cidr !== undefined && coversPort(rule, port) && !cidrWithin(cidr, scope);
    });
    const changes = new ChangeSet(ctx);
    if (revoke.length > 0) await applyEdit(ctx, ec2, changes, group, { direction, revoke });
    return changes.result(
      `removed ${revoke.length} ${direction} rule(s) for port ${port} outside ${scope} from ${group.label}`,
      `every ${direction} rule of ${group.label} for port ${port} lies within ${scope}`,
    );
  },
});
