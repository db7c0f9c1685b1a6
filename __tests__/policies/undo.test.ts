/**
 * What `cloudmend undo` can do in a member account, proven by simulation: the
 * member role (all bots enabled) grants each reversible kind's undo
 * permissions to undo sessions only (`cloudmend-undo-*`), and the session
 * policy of an undo step narrows them to that kind and that resource.
 */
import { BOTS } from '../../bots';
import { sessionPolicyFor, undoPermissionsOf } from '../../bots/permissions';
import { memberRolePolicyDocuments } from '../../stacks/member-role-policy';
import { ENABLED_REGIONS, FINDING_REGION, MEMBER_ACCOUNT, MEMBER_ROLE_NAME, memberRoleArn, PARTITION, principalContext } from './fixtures';
import { SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
afterAll(() => {
  console.log(tally.table('undo sessions in the member role'));
  tally.write(expect.getState().testPath ?? 'undo.test.ts');
});

const memberPolicies = memberRolePolicyDocuments(
  BOTS.map((bot) => bot.meta),
  { partition: PARTITION, account: MEMBER_ACCOUNT, regions: ENABLED_REGIONS },
);
const GROUP = 'sg-0123456789abcdef0';
const groupArn = (id: string) => `arn:${PARTITION}:ec2:${FINDING_REGION}:${MEMBER_ACCOUNT}:security-group/${id}`;
const sgRulesDelete = BOTS.find((b) => b.meta.name === 'sg_rules_delete')!.meta;
const ingress = sgRulesDelete.undo?.['security-group-ingress'];
if (!ingress?.reversible) throw new Error('sg_rules_delete must declare its inbound rules reversible');
// What `cloudmend undo` passes for one step (handler/state/undo.ts undoSessionPolicy).
const undoSession = sessionPolicyFor(ingress, { partition: PARTITION, account: MEMBER_ACCOUNT, region: FINDING_REGION, resourceId: GROUP });

// What a run of sg_rules_delete itself gets: its own permissions on the group, no undo permissions.
const botSession = sessionPolicyFor(sgRulesDelete, {
  partition: PARTITION,
  account: MEMBER_ACCOUNT,
  region: FINDING_REGION,
  resourceId: GROUP,
});

async function decide(session: string, action: string, resource: string, withSessionPolicy: boolean | 'bot') {
  const outcome = await simulate({
    request: {
      principal: `arn:${PARTITION}:sts::${MEMBER_ACCOUNT}:assumed-role/${MEMBER_ROLE_NAME}/${session}`,
      action,
      resource,
      resourceAccount: MEMBER_ACCOUNT,
      context: principalContext(memberRoleArn(), session, FINDING_REGION),
    },
    identityPolicies: memberPolicies,
    ...(withSessionPolicy ? { sessionPolicy: withSessionPolicy === 'bot' ? botSession : undoSession } : {}),
  });
  tally.count(session.startsWith('cloudmend-undo-') ? 'undo session' : 'bot session', outcome.decision);
  return outcome.decision;
}

describe('undo permissions in the member role', () => {
  it('are declared only where the bot has reversible kinds, with no wildcard action', () => {
    const withUndo = BOTS.filter((b) => undoPermissionsOf(b.meta).length > 0).map((b) => b.meta.name);
    expect(withUndo).toContain('sg_rules_delete');
    for (const bot of BOTS) for (const p of undoPermissionsOf(bot.meta)) expect(p.actions.some((a) => a.includes('*'))).toBe(false);
  });

  it('an undo session with the step policy may put rules back on the remediated group', async () => {
    expect(await decide('cloudmend-undo-sg_rules_delete', 'ec2:AuthorizeSecurityGroupIngress', groupArn(GROUP), true)).toBe('Allowed');
  });

  it.each([
    ['on another group', 'cloudmend-undo-sg_rules_delete', 'ec2:AuthorizeSecurityGroupIngress', groupArn('sg-0fffffffffffffff0'), true],
    ['for another kind of change (outbound)', 'cloudmend-undo-sg_rules_delete', 'ec2:AuthorizeSecurityGroupEgress', groupArn(GROUP), true],
    ['to change rules in place', 'cloudmend-undo-sg_rules_delete', 'ec2:ModifySecurityGroupRules', groupArn(GROUP), true],
    // Other bots (sg_modify_scope_by_port, a split) authorize rules themselves, so the member role grants the action to
    // bot sessions; what keeps a run of sg_rules_delete from it is that bot's own session policy.
    [
      'in a bot session of a bot that only removes rules',
      'cloudmend-sg_rules_delete',
      'ec2:AuthorizeSecurityGroupIngress',
      groupArn(GROUP),
      'bot',
    ],
  ] as const)('refuses %s', async (_label, session, action, resource, withSessionPolicy) => {
    expect(await decide(session, action, resource, withSessionPolicy)).not.toBe('Allowed');
  });
});
