/**
 * Destructive bots get IAM permissions only when opted in, proven by
 * simulation on the member role the deployer generates from `enabled: all`:
 * without an opt-in, every action only a destructive bot declares is denied
 * (terminate, release, delete); with one, that bot's actions are allowed and
 * the other destructive bots' stay denied.
 */
import { BOTS } from '../../bots';
import type { Bot } from '../../bots/types';
import { botsGrantedPermissions, memberRolePolicyDocuments } from '../../stacks/member-role-policy';
import {
  botRequestContext,
  ENABLED_REGIONS,
  FINDING_REGION,
  GLOBAL_REQUEST_REGION,
  MEMBER_ACCOUNT,
  memberScope,
  memberSessionArn,
  PARTITION,
  requestArn,
  resourcePolicyFor,
  sampleResourceFor,
} from './fixtures';
import { conditionKeysFor, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
afterAll(() => {
  console.log(tally.table('member role from enabled: all, destructive bots with and without opt-in'));
  tally.write(expect.getState().testPath ?? 'destructive-opt-in.test.ts');
});

const ALL = BOTS.map((bot) => bot.meta.name);
const DESTRUCTIVE = BOTS.filter((bot) => bot.meta.destructive);
/** s3_delete_permissions resets the ACL (as s3_delete_acls does) and deletes the bucket policy (as the S3.6 bot may, when no statement is left). */
const SHARES_EVERY_ACTION = ['s3_delete_permissions'];

function memberPolicies(optIn: string[]) {
  const granted = botsGrantedPermissions(BOTS, ALL, optIn);
  return {
    granted,
    policies: memberRolePolicyDocuments(granted, { partition: PARTITION, account: MEMBER_ACCOUNT, regions: ENABLED_REGIONS }),
  };
}

/** Each (action, resource) a bot declares that no bot granted alongside it declares too: only this bot could be the reason for it. */
function ownRequests(bot: Bot, granted: readonly Bot['meta'][]) {
  const elsewhere = new Set(granted.filter((m) => m.name !== bot.meta.name).flatMap((m) => m.permissions.flatMap((p) => p.actions)));
  const scope = memberScope(FINDING_REGION, sampleResourceFor(bot).id);
  return bot.meta.permissions.flatMap((p) =>
    p.actions
      .filter((action) => !elsewhere.has(action))
      .flatMap((action) => p.resources.map((template) => ({ action, resource: requestArn(template, scope), global: p.global === true }))),
  );
}

async function decide(bot: Bot, policies: unknown[], request: { action: string; resource: string; global: boolean }) {
  const region = request.global ? GLOBAL_REQUEST_REGION : FINDING_REGION;
  const context = botRequestContext(bot, request.action, region);
  const supplied = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  const outcome = await simulate({
    request: {
      principal: memberSessionArn(bot.meta.name),
      action: request.action,
      resource: request.resource,
      resourceAccount: MEMBER_ACCOUNT,
      context,
    },
    identityPolicies: policies,
    resourcePolicy: resourcePolicyFor(request.action, request.resource),
    absentOnPurpose: conditionKeysFor(request.action, policies).filter((k) => !supplied.has(k.toLowerCase())),
  });
  tally.count(bot.meta.name, outcome.decision);
  return outcome.decision;
}

it('the catalog has destructive bots to prove this on', () => {
  expect(DESTRUCTIVE.map((b) => b.meta.name)).toEqual(expect.arrayContaining(['ec2_terminate_instance', 'ec2_release_eips', 'sg_delete']));
});

describe('enabled: all without any opt-in', () => {
  const { granted, policies } = memberPolicies([]);

  it('leaves every destructive bot out of the member role', () => {
    expect(granted.filter((m) => m.destructive)).toEqual([]);
    expect(granted.length).toBe(BOTS.length - DESTRUCTIVE.length);
  });

  it('names the destructive bots with no action of their own (a non-destructive bot needs each of their actions too)', () => {
    // Opting out withholds nothing from these: their writes are granted for the bots they share them with,
    // and each run's session policy still narrows to its own bot. Listed so a new one is a decision, not an accident.
    expect(DESTRUCTIVE.filter((bot) => ownRequests(bot, granted).length === 0).map((b) => b.meta.name)).toEqual(SHARES_EVERY_ACTION);
  });

  it.each(DESTRUCTIVE.filter((bot) => !SHARES_EVERY_ACTION.includes(bot.meta.name)).map((bot) => [bot.meta.name, bot] as const))(
    'denies what only %s would do',
    async (_name, bot) => {
      const requests = ownRequests(bot, granted);
      expect(requests.length).toBeGreaterThan(0);
      const allowed: string[] = [];
      for (const request of requests) {
        if ((await decide(bot, policies, request)) === 'Allowed') allowed.push(`${request.action} on ${request.resource}`);
      }
      expect(allowed).toEqual([]);
    },
  );
});

describe('enabled: all with ec2_terminate_instance opted in', () => {
  const { granted, policies } = memberPolicies(['ec2_terminate_instance']);
  const terminate = DESTRUCTIVE.find((b) => b.meta.name === 'ec2_terminate_instance')!;

  it('grants the opted-in bot its actions', async () => {
    const requests = ownRequests(terminate, granted);
    expect(requests.map((r) => r.action)).toContain('ec2:TerminateInstances');
    for (const request of requests)
      expect([request.action, await decide(terminate, policies, request)]).toEqual([request.action, 'Allowed']);
  });

  it.each(DESTRUCTIVE.filter((b) => b !== terminate).map((bot) => [bot.meta.name, bot] as const))(
    'still denies what only %s would do',
    async (_name, bot) => {
      const allowed: string[] = [];
      for (const request of ownRequests(bot, granted)) {
        if ((await decide(bot, policies, request)) === 'Allowed') allowed.push(`${request.action} on ${request.resource}`);
      }
      expect(allowed).toEqual([]);
    },
  );
});
