/**
 * What a bot can do in a member account, proven by simulation: the member
 * role's generated permission policies (all bots enabled, the widest role the
 * deployer makes) intersected with the session policy the handler passes for
 * that bot's run. The simulator evaluates the session policy natively
 * (iam-simulate's `sessionPolicy`: an allow must be in both, like AWS).
 *
 * Per bot: every declared action on the finding's resource in an enabled
 * region is Allowed; the same in a region that is not enabled, on another
 * resource than the finding's, and a list of dangerous neighbours is Denied.
 */
import { BOTS } from '../../bots';
import { DERIVED_PLACEHOLDERS, sessionPolicyFor, type PolicyDocument } from '../../bots/permissions';
import type { Bot } from '../../bots/types';
import { memberRolePolicyDocuments } from '../../stacks/member-role-policy';
import {
  botRequestContext,
  DANGEROUS_NEIGHBOURS,
  DISABLED_REGION,
  ENABLED_REGIONS,
  FINDING_REGION,
  GLOBAL_REQUEST_REGION,
  MEMBER_ACCOUNT,
  memberScope,
  memberSessionArn,
  PARTITION,
  principalContext,
  memberRoleArn,
  requestArn,
  resourcePolicyFor,
  SAMPLE_DERIVED,
  sampleDerivedIds,
  sampleResourceFor,
  wildcardResources,
} from './fixtures';
import { conditionKeysFor, type SimulationOutcome, SimulationTally, simulate } from './simulate';

const tally = new SimulationTally();
const memberPolicies = memberRolePolicyDocuments(
  BOTS.map((bot) => bot.meta),
  { partition: PARTITION, account: MEMBER_ACCOUNT, regions: ENABLED_REGIONS },
);

afterAll(() => {
  console.log(tally.table(`member role ∩ session policy, per bot (enabled regions ${ENABLED_REGIONS.join(', ')})`));
  tally.write(expect.getState().testPath ?? 'member-role.test.ts');
});

interface BotRequest {
  action: string;
  template: string;
  global: boolean;
}

function declaredRequests(bot: Bot): BotRequest[] {
  return bot.meta.permissions.flatMap((p) =>
    p.actions.flatMap((action) => p.resources.map((template) => ({ action, template, global: p.global === true }))),
  );
}

/**
 * Condition keys in the member role that belong to other bots' statements for the
 * same action (a tag only the quarantine bot's groups carry): a request by this
 * bot genuinely lacks them, so their absence is not a gap in the context.
 */
function keysAbsentFromRequest(action: string, context: Record<string, string>): string[] {
  const supplied = new Set(Object.keys(context).map((k) => k.toLowerCase()));
  return conditionKeysFor(action, memberPolicies).filter((k) => !supplied.has(k.toLowerCase()) && k !== 'aws:RequestedRegion');
}

async function decide(
  bot: Bot,
  request: { action: string; resource: string; region: string; extraContext?: Record<string, string> },
  sessionPolicy: PolicyDocument | undefined,
): Promise<SimulationOutcome> {
  const context = { ...botRequestContext(bot, request.action, request.region), ...request.extraContext };
  const outcome = await simulate({
    request: {
      principal: memberSessionArn(bot.meta.name),
      action: request.action,
      resource: request.resource,
      resourceAccount: MEMBER_ACCOUNT,
      context,
    },
    identityPolicies: memberPolicies,
    ...(sessionPolicy ? { sessionPolicy } : {}),
    resourcePolicy: resourcePolicyFor(request.action, request.resource),
    absentOnPurpose: keysAbsentFromRequest(request.action, context),
  });
  if (sessionPolicy) tally.count(bot.meta.name, outcome.decision);
  return outcome;
}

const describeLine = (r: { action: string; resource: string; region: string }, o: SimulationOutcome) =>
  `${r.action} on ${r.resource} in ${r.region}: ${o.decision} (member role ${o.identity}, session ${o.session})`;

/**
 * The only wildcards left in a narrowed session policy (besides `*` for actions
 * with no resource-level permission, and a log group's `:*` streams): resources
 * the bot itself creates, whose ids do not exist before, or reads of an
 * organization trail owned by the management account. Each other resource is named.
 */

const CREATED_BY_BOT: Record<string, string[]> = {
  ec2_create_snapshot: ['ec2:CreateSnapshot arn:aws:ec2:eu-west-1::snapshot/*', 'ec2:CreateTags arn:aws:ec2:eu-west-1::snapshot/*'],
  ec2_quarantine_instance: [
    'ec2:CreateSecurityGroup arn:aws:ec2:eu-west-1:222222222222:security-group/*',
    'ec2:CreateTags arn:aws:ec2:eu-west-1:222222222222:security-group/*',
  ],
  rds_quarantine_instance: [
    'ec2:CreateSecurityGroup arn:aws:ec2:eu-west-1:222222222222:security-group/*',
    'ec2:CreateTags arn:aws:ec2:eu-west-1:222222222222:security-group/*',
  ],
  vpc_isolate: [
    'ec2:CreateNetworkAcl arn:aws:ec2:eu-west-1:222222222222:network-acl/*',
    'ec2:CreateTags arn:aws:ec2:eu-west-1:222222222222:network-acl/*',
  ],
  vpc_turn_on_flow_logs: [
    'ec2:CreateFlowLogs arn:aws:ec2:eu-west-1:222222222222:vpc-flow-log/*',
    'ec2:CreateTags arn:aws:ec2:eu-west-1:222222222222:vpc-flow-log/*',
  ],
  cloudtrail_enable_log_file_validation: ['cloudtrail:GetTrail arn:aws:cloudtrail:*:*:trail/finding-trail'],
  cloudtrail_encrypt_log_files_using_existing_key: ['cloudtrail:GetTrail arn:aws:cloudtrail:*:*:trail/finding-trail'],
  cloudtrail_enable: [
    'cloudtrail:GetTrailStatus arn:aws:cloudtrail:*:222222222222:trail/*',
    'cloudtrail:StartLogging arn:aws:cloudtrail:*:222222222222:trail/*',
  ],
  cloudtrail_encrypt_log_files_using_new_key_creation: [
    'cloudtrail:GetTrail arn:aws:cloudtrail:*:*:trail/finding-trail',
    'kms:CreateAlias arn:aws:kms:*:222222222222:alias/cloudmend-cloudtrail',
    'kms:CreateAlias arn:aws:kms:*:222222222222:key/*',
    'kms:DescribeKey arn:aws:kms:*:222222222222:key/*',
    'kms:EnableKeyRotation arn:aws:kms:*:222222222222:key/*',
    'kms:TagResource arn:aws:kms:*:222222222222:key/*',
  ],
  cloudtrail_send_to_cloudwatch: [
    'cloudtrail:GetTrail arn:aws:cloudtrail:*:*:trail/finding-trail',
    'logs:CreateLogGroup arn:aws:logs:*:222222222222:log-group:/cloudmend/cloudtrail',
    'logs:CreateLogGroup arn:aws:logs:*:222222222222:log-group:/cloudmend/cloudtrail:*',
    'logs:TagResource arn:aws:logs:*:222222222222:log-group:/cloudmend/cloudtrail',
    'logs:TagResource arn:aws:logs:*:222222222222:log-group:/cloudmend/cloudtrail:*',
  ],
  cloudwatch_create_metric_filter: [
    'cloudwatch:DescribeAlarms arn:aws:cloudwatch:eu-west-1:222222222222:alarm:cloudmend-cis-*',
    'cloudwatch:PutMetricAlarm arn:aws:cloudwatch:eu-west-1:222222222222:alarm:cloudmend-cis-*',
  ],
  config_enable: [
    'config:DescribeConfigurationRecorderStatus arn:aws:config:eu-west-1:222222222222:configuration-recorder/*/*',
    'config:DescribeConfigurationRecorders arn:aws:config:eu-west-1:222222222222:configuration-recorder/*/*',
    'config:PutConfigurationRecorder arn:aws:config:eu-west-1:222222222222:configuration-recorder/*/*',
    'config:StartConfigurationRecorder arn:aws:config:eu-west-1:222222222222:configuration-recorder/*/*',
    // AWS Config's service-linked role: a fixed AWS name, read under any path (its real one is aws-service-role/config.amazonaws.com/).
    'iam:GetRole arn:aws:iam::222222222222:role/*AWSServiceRoleForConfig',
  ],
};

describe.each(BOTS.map((bot) => [bot.meta.name, bot] as const))('%s', (_name, bot) => {
  const sample = sampleResourceFor(bot);
  const findingScope = memberScope(FINDING_REGION, sample.id);
  // The session after the bot has read what it acts on (an instance's volumes, ...): the widest it ever gets.
  const session = sessionPolicyFor(bot.meta, { ...findingScope, derived: sampleDerivedIds() });
  const requests = declaredRequests(bot);
  const requestRegion = (r: BotRequest, region: string) => (r.global ? GLOBAL_REQUEST_REGION : region);

  it('is allowed every declared action on the finding resource in an enabled region', async () => {
    const denied: string[] = [];
    for (const r of requests) {
      const request = { action: r.action, resource: requestArn(r.template, findingScope), region: requestRegion(r, FINDING_REGION) };
      const outcome = await decide(bot, request, session);
      if (outcome.decision !== 'Allowed') denied.push(describeLine(request, outcome));
    }
    expect(denied).toEqual([]);
  });

  const regional = requests.filter((r) => !r.global);
  (regional.length > 0 ? it : it.skip)(
    'is denied its regional actions in a region that is not enabled, by the member role itself',
    async () => {
      // As if the finding came from the disabled region: the session policy would follow it there, the member role must not.
      const scope = memberScope(DISABLED_REGION, sample.id);
      const sessionThere = sessionPolicyFor(bot.meta, { ...scope, derived: sampleDerivedIds() });
      const allowed: string[] = [];
      for (const r of regional) {
        const request = { action: r.action, resource: requestArn(r.template, scope), region: DISABLED_REGION };
        const outcome = await decide(bot, request, sessionThere);
        if (outcome.decision === 'Allowed' || outcome.identity === 'Allowed') allowed.push(describeLine(request, outcome));
      }
      expect(allowed).toEqual([]);
    },
  );

  const scoped = requests.filter((r) => r.template.includes('{resourceId}'));
  (scoped.length > 0 ? it : it.skip)(
    'is denied its resource-scoped actions on another resource than the finding’s, by the session policy',
    async () => {
      const otherScope = memberScope(FINDING_REGION, sample.other);
      const wrong: string[] = [];
      for (const r of scoped) {
        const request = { action: r.action, resource: requestArn(r.template, otherScope), region: requestRegion(r, FINDING_REGION) };
        const outcome = await decide(bot, request, session);
        // The member role alone allows it (it serves every finding); only the session policy narrows it.
        if (outcome.decision === 'Allowed' || outcome.session === 'Allowed') wrong.push(describeLine(request, outcome));
      }
      expect(wrong).toEqual([]);
    },
  );

  const derived = requests.filter((r) => DERIVED_PLACEHOLDERS.some((key) => r.template.includes(`{${key}}`)));
  (derived.length > 0 ? it : it.skip)(
    'is denied, before it has read them, its actions on the resources it finds by reading (first session)',
    async () => {
      const first = sessionPolicyFor(bot.meta, findingScope);
      const wrong: string[] = [];
      for (const r of derived) {
        const request = { action: r.action, resource: requestArn(r.template, findingScope), region: requestRegion(r, FINDING_REGION) };
        const outcome = await decide(bot, request, first);
        if (outcome.decision === 'Allowed' || outcome.session === 'Allowed') wrong.push(describeLine(request, outcome));
      }
      expect(wrong).toEqual([]);
    },
  );

  (derived.length > 0 ? it : it.skip)(
    'is denied its actions on another interface, volume, group, VPC, address or Region than those it read, by the narrowed session',
    async () => {
      const wrong: string[] = [];
      for (const r of derived) {
        const request = {
          action: r.action,
          resource: requestArn(r.template, findingScope, 'other'),
          region: requestRegion(r, FINDING_REGION),
        };
        const outcome = await decide(bot, request, session);
        if (outcome.decision === 'Allowed' || outcome.session === 'Allowed') wrong.push(describeLine(request, outcome));
      }
      expect(wrong).toEqual([]);
    },
  );

  it('names no existing resource by a wildcard in its narrowed session, only ones it creates', () => {
    const wildcards = wildcardResources(session);
    expect(wildcards.sort()).toEqual([...(CREATED_BY_BOT[bot.meta.name] ?? [])].sort());
  });

  it('is denied dangerous neighbours of what it does', async () => {
    const declared = new Set(requests.map((r) => r.action));
    const allowed: string[] = [];
    for (const neighbour of DANGEROUS_NEIGHBOURS) {
      // A plain neighbour the bot itself needs (terminate for the terminate bot) is its job, not a neighbour.
      if (declared.has(neighbour.action) && !neighbour.context) continue;
      const global =
        neighbour.action.startsWith('iam:') || neighbour.action.startsWith('sts:') || neighbour.action.startsWith('organizations:');
      const region = global ? GLOBAL_REQUEST_REGION : FINDING_REGION;
      const request = {
        action: neighbour.action,
        resource: neighbour.resource(findingScope),
        region,
        ...(neighbour.context ? { extraContext: neighbour.context } : {}),
      };
      const outcome = await decide(bot, request, session);
      if (outcome.decision === 'Allowed') allowed.push(describeLine(request, outcome));
    }
    expect(allowed).toEqual([]);
  });
});

describe('the member role with every bot enabled', () => {
  it('allows none of the dangerous neighbours no bot declares, even without a session policy', async () => {
    const declared = new Set(BOTS.flatMap((bot) => declaredRequests(bot).map((r) => r.action)));
    const allowed: string[] = [];
    for (const neighbour of DANGEROUS_NEIGHBOURS.filter((n) => !declared.has(n.action) || n.context)) {
      const scope = memberScope(FINDING_REGION, 'any');
      const context = { ...principalContext(memberRoleArn(), 'cloudmend-audit', FINDING_REGION), ...neighbour.context };
      const outcome = await simulate({
        request: {
          principal: memberSessionArn('audit'),
          action: neighbour.action,
          resource: neighbour.resource(scope),
          resourceAccount: MEMBER_ACCOUNT,
          context,
        },
        identityPolicies: memberPolicies,
        resourcePolicy: resourcePolicyFor(neighbour.action, neighbour.resource(scope)),
        absentOnPurpose: keysAbsentFromRequest(neighbour.action, context),
      });
      tally.count('(member role, no session policy)', outcome.decision);
      if (outcome.decision === 'Allowed') allowed.push(`${neighbour.action} on ${neighbour.resource(scope)}`);
    }
    expect(allowed).toEqual([]);
  });
});

describe('the RDS encryption bots and the KMS key they let RDS use', () => {
  const keyArn = (id: string) => `arn:${PARTITION}:kms:${FINDING_REGION}:${MEMBER_ACCOUNT}:key/${id}`;
  const { id: resolved, other } = SAMPLE_DERIVED.kmsKeyId;

  it.each(['rds_enable_encryption', 'rds_snapshot_encrypt'])(
    '%s: only the key it resolved, only through RDS; another key of the same account is denied',
    async (name) => {
      const bot = BOTS.find((b) => b.meta.name === name)!;
      const scope = memberScope(FINDING_REGION, sampleResourceFor(bot).id);
      const named = sessionPolicyFor(bot.meta, { ...scope, derived: sampleDerivedIds() });
      const first = sessionPolicyFor(bot.meta, scope);
      const viaEc2 = { 'kms:ViaService': `ec2.${FINDING_REGION}.amazonaws.com` };
      const cases: [string, string, PolicyDocument, Record<string, string>?][] = [
        ['kms:CreateGrant', resolved, named],
        ['kms:DescribeKey', resolved, named],
        ['kms:CreateGrant', other, named],
        ['kms:DescribeKey', other, named],
        ['kms:CreateGrant', resolved, named, viaEc2],
        ['kms:CreateGrant', resolved, first],
        ['kms:DescribeKey', resolved, first],
      ];
      const decisions: string[] = [];
      for (const [action, id, session, extraContext] of cases) {
        const request = { action, resource: keyArn(id), region: FINDING_REGION, ...(extraContext ? { extraContext } : {}) };
        const outcome = await decide(bot, request, session);
        decisions.push(
          `${action} ${id === resolved ? 'resolved' : 'other'} key${extraContext ? ' via EC2' : ''}${session === first ? ' (before resolving)' : ''}: ${outcome.decision}`,
        );
      }
      expect(decisions).toEqual([
        'kms:CreateGrant resolved key: Allowed',
        'kms:DescribeKey resolved key: Allowed',
        'kms:CreateGrant other key: ImplicitlyDenied',
        'kms:DescribeKey other key: ImplicitlyDenied',
        'kms:CreateGrant resolved key via EC2: ImplicitlyDenied',
        'kms:CreateGrant resolved key (before resolving): ImplicitlyDenied',
        'kms:DescribeKey resolved key (before resolving): ImplicitlyDenied',
      ]);
    },
  );
});
