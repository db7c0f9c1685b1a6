/**
 * What `cloudmend undo` can do in a member account, proven by simulation: the
 * member role (all bots enabled) grants each reversible kind's undo
 * permissions to undo sessions only (`cloudmend-undo-*`), and the session
 * policy of an undo step narrows them to that kind and that resource.
 */
import { BOTS } from '../../bots';
import { sessionPolicyFor, undoPermissionsOf } from '../../bots/permissions';
import { memberRolePolicyDocuments } from '../../stacks/member-role-policy';
import {
  ENABLED_REGIONS,
  FINDING_REGION,
  GLOBAL_REQUEST_REGION,
  MEMBER_ACCOUNT,
  MEMBER_ROLE_NAME,
  memberRoleArn,
  memberScope,
  PARTITION,
  principalContext,
  requestArn,
  resourcePolicyFor,
  sampleDerivedIds,
  sampleResourceFor,
  satisfyingContext,
  wildcardResources,
} from './fixtures';
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

/**
 * Every reversible kind of every bot, each undo permission proven: an undo
 * session (`cloudmend-undo-<bot>`) holding the step's session policy (the
 * kind's permissions on the sample resource and the derived ids a change
 * records) is allowed each action on the resource the template names; the
 * bot's own session is refused the actions only undo is granted.
 */
const reversibleKinds = BOTS.flatMap((bot) =>
  Object.entries(bot.meta.undo ?? {}).flatMap(([kind, undo]) => (undo.reversible ? [{ bot, kind, undo }] : [])),
);
/** The resource a request names: a derived placeholder (`{roleName}`) as the id the change recorded, or another one. */
function undoRequestArn(template: string, resourceId: string, derived: 'id' | 'other' = 'id'): string {
  if (template === '*') return '*';
  return requestArn(template, memberScope(FINDING_REGION, resourceId), derived);
}

/** Keys of other statements an undo request does not carry: no boundary on the finding's role, not part of a create, a direct call. */
const ABSENT_ON_PURPOSE = [
  'iam:PermissionsBoundary',
  'ec2:CreateAction',
  'kms:ViaService',
  'aws:ResourceTag/cloudmend:ec2-attachable',
  'aws:ResourceTag/cloudmend:created-by',
  'iam:PolicyARN',
];

const undoCases = reversibleKinds.flatMap(({ bot, kind, undo }) =>
  undo.permissions.flatMap((permission) =>
    permission.actions.flatMap((action) =>
      permission.resources.map((template) => ({
        label: `${bot.meta.name} ${kind}: ${action} on ${template}`,
        bot,
        undo,
        permission,
        action,
        template,
      })),
    ),
  ),
);

/**
 * The undo case's request, made by the undo session (member role ∩ the kind's
 * undo session policy, rendered for the ids the change recorded) on the
 * recorded id (`id`) or on another one (`other`).
 */
async function simulateInUndoSession(c: (typeof undoCases)[number], on: 'id' | 'other') {
  const sample = sampleResourceFor(c.bot);
  const sessionPolicy = sessionPolicyFor(c.undo, {
    partition: PARTITION,
    account: MEMBER_ACCOUNT,
    region: FINDING_REGION,
    resourceId: sample.id,
    derived: sampleDerivedIds('id'),
  });
  const resource = undoRequestArn(c.template, sample.id, on);
  const outcome = await simulate({
    ...requestOfCase(c, `cloudmend-undo-${c.bot.meta.name}`, resource),
    sessionPolicy,
    absentOnPurpose: ABSENT_ON_PURPOSE,
  });
  return { resource, outcome };
}

/** The case's action on `resource`, made by the member role in session `session`, against the role's policies and the resource's own policy. */
function requestOfCase(c: (typeof undoCases)[number], session: string, resource: string) {
  const region = c.permission.global ? GLOBAL_REQUEST_REGION : FINDING_REGION;
  return {
    request: {
      principal: `arn:${PARTITION}:sts::${MEMBER_ACCOUNT}:assumed-role/${MEMBER_ROLE_NAME}/${session}`,
      action: c.action,
      resource,
      resourceAccount: MEMBER_ACCOUNT,
      context: { ...principalContext(memberRoleArn(), session, region), ...satisfyingContext(c.permission.conditions) },
    },
    identityPolicies: memberPolicies,
    // The key policy (KMS) or bucket policy a real resource has; none where the service needs none.
    resourcePolicy: resourcePolicyFor(c.action, resource),
  };
}

describe('undo permissions of every reversible kind, simulated', () => {
  it('covers every bot that declares a reversible kind', () => {
    expect(new Set(undoCases.map((c) => c.bot.meta.name)).size).toBe(new Set(reversibleKinds.map((k) => k.bot.meta.name)).size);
    expect(undoCases.length).toBeGreaterThan(40);
  });

  it.each(undoCases.map((c) => [c.label, c] as const))('%s: allowed to the undo session', async (_label, c) => {
    const { outcome } = await simulateInUndoSession(c, 'id');
    tally.count('undo session', outcome.decision);
    expect([c.label, outcome.decision]).toEqual([c.label, 'Allowed']);
  });

  // Actions no bot's own session is granted at all (the member role is shared: an action some bot has is no proof here).
  const botActions = new Set(BOTS.flatMap((b) => b.meta.permissions.flatMap((p) => p.actions)));
  const undoOnly = undoCases.filter(
    (c) => !botActions.has(c.action) && undoPermissionsOf(c.bot.meta).some((p) => p.actions.includes(c.action)),
  );
  it.each(undoOnly.map((c) => [c.label, c] as const))('%s: refused to the bot session', async (_label, c) => {
    const resource = undoRequestArn(c.template, sampleResourceFor(c.bot).id);
    const outcome = await simulate(requestOfCase(c, `cloudmend-${c.bot.meta.name}`, resource));
    tally.count('bot session', outcome.decision);
    expect([c.label, outcome.decision]).not.toEqual([c.label, 'Allowed']);
  });
});

/**
 * What an undo step acts on beyond the finding's resource is known only from the change record (the function's
 * role, the drained container instance, the removed profile's role): its session names exactly the ids the change
 * recorded (`ChangeUndo.ids`), and is refused the same action on any other.
 */
const onRecordedIds = undoCases.filter(
  (c) =>
    c.template !== '*' &&
    requestArn(c.template, memberScope(FINDING_REGION, 'x'), 'other') !== requestArn(c.template, memberScope(FINDING_REGION, 'x'), 'id'),
);

describe('undo sessions act only on the ids the change recorded', () => {
  it('covers the kinds whose records carry ids', () => {
    const bots = new Set(onRecordedIds.map((c) => c.bot.meta.name));
    for (const name of [
      'lambda_detach_blanket_permissions',
      'ecs_stop',
      'ec2_detach_instance_role',
      'vpc_turn_on_flow_logs',
      'ec2_attach_sg',
      'ebs_snapshot_set_to_private',
      'lambda_detach_external_layer',
    ]) {
      expect([name, bots.has(name)]).toEqual([name, true]);
    }
  });

  it('every kind declaring recordsIds names them in its permissions', () => {
    for (const { bot, kind, undo } of reversibleKinds) {
      const named = new Set(undo.permissions.flatMap((p) => p.resources.flatMap((r) => [...r.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))));
      for (const key of undo.recordsIds ?? []) expect([bot.meta.name, kind, key, named.has(key)]).toEqual([bot.meta.name, kind, key, true]);
    }
  });

  it.each(onRecordedIds.map((c) => [c.label, c] as const))('%s: refused on another id than the recorded one', async (_label, c) => {
    const { resource, outcome } = await simulateInUndoSession(c, 'other');
    tally.count('undo session', outcome.decision);
    expect([c.label, resource, outcome.decision]).not.toEqual([c.label, resource, 'Allowed']);
  });
});

describe.each(reversibleKinds.map((k) => [`${k.bot.meta.name} ${k.kind}`, k] as const))('undo of %s', (_name, { bot, undo }) => {
  it('names no existing resource by a wildcard in its session, beyond the change’s resource and the ids it recorded', () => {
    const session = sessionPolicyFor(undo, {
      ...memberScope(FINDING_REGION, sampleResourceFor(bot).id),
      derived: sampleDerivedIds('id'),
    });
    expect(wildcardResources(session)).toEqual([]);
  });
});

/**
 * lambda_detach_external_layer records the layers it sets back as (account, name) pairs, and its template renders
 * each pair, not every combination: a recorded name in an account the change did not record, an unrecorded name in a
 * recorded account, or one recorded layer's name in another recorded layer's account is refused.
 */
describe('undo of lambda_detach_external_layer reads only layers of the recorded accounts and names', () => {
  const bot = BOTS.find((b) => b.meta.name === 'lambda_detach_external_layer')!;
  const layers = bot.meta.undo?.layers;
  if (!layers?.reversible) throw new Error('lambda_detach_external_layer must declare its layers reversible');
  const ids = { layerAccount: [MEMBER_ACCOUNT, '999999999999'], layerName: ['shared-libs', 'miner'] };
  const sessionPolicy = sessionPolicyFor(layers, { ...memberScope(FINDING_REGION, 'finding-function'), derived: ids });
  const layerArn = (account: string, name: string) => `arn:${PARTITION}:lambda:${FINDING_REGION}:${account}:layer:${name}:7`;

  it.each([
    ['the external layer recorded', layerArn('999999999999', 'miner'), 'Allowed'],
    ['the own layer recorded', layerArn(MEMBER_ACCOUNT, 'shared-libs'), 'Allowed'],
    ['a recorded name in an account not recorded', layerArn('444444444444', 'miner'), 'ImplicitlyDenied'],
    ['a name not recorded in a recorded account', layerArn('999999999999', 'other-libs'), 'ImplicitlyDenied'],
    // Pairs, not every combination: each recorded account with another recorded layer's name.
    ['the external layer’s name in the function’s account', layerArn(MEMBER_ACCOUNT, 'miner'), 'ImplicitlyDenied'],
    ['the own layer’s name in the external account', layerArn('999999999999', 'shared-libs'), 'ImplicitlyDenied'],
  ] as const)('GetLayerVersion on %s: %s', async (_label, resource, decision) => {
    const session = 'cloudmend-undo-lambda_detach_external_layer';
    const outcome = await simulate({
      request: {
        principal: `arn:${PARTITION}:sts::${MEMBER_ACCOUNT}:assumed-role/${MEMBER_ROLE_NAME}/${session}`,
        action: 'lambda:GetLayerVersion',
        resource,
        resourceAccount: MEMBER_ACCOUNT,
        context: principalContext(memberRoleArn(), session, FINDING_REGION),
      },
      identityPolicies: memberPolicies,
      sessionPolicy,
    });
    tally.count('undo session', outcome.decision);
    expect(outcome.decision).toBe(decision);
  });
});
