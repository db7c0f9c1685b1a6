/**
 * Which bots run on a finding, with which params, or why not. Pure: the same
 * finding and config always give the same plan, and every bot that does not
 * run is a rejection with a reason the operator can act on.
 */
import type { RequestedAction } from '../bots/types';
import type { RuntimeConfig } from '../config/runtime';
import { partitionOf } from '../config/regions';
import { DEFAULT_SOURCES_SETTINGS, isAcceptedSecurityHubProduct } from '../config/sources';
import { validateFindingIdentity } from './identity';
import { mappedActions } from './mappings';
import { accountOutOfScope } from './account-scope';
import { MEMBER_ROLE_ABSENT } from './member-role-probe';
import { paramsForRun } from './planned-params';
import { reject, type Rejection, type RejectionCode } from './rejection';
import type { SourcedFinding } from './sources/types';
import { closestMatch } from '../bots/suggest';
import type { Plan, PlannedRun, Registry, RunOutcome, TagLookup } from './types';

export type { Plan, PlannedRun, Registry } from './types';

/** Bots acting on the account itself (password policy, EBS default encryption) apply to a finding on any resource in it. */
const ACCOUNT = 'AWS::::Account';

function isExcluded(tags: Record<string, string> | undefined, tag: RuntimeConfig['exclusionTag']): boolean {
  if (!tags || !Object.hasOwn(tags, tag.key)) return false;
  return tag.value === undefined || tags[tag.key] === tag.value;
}

/** The `resource-excluded` rejection when `tags` carry the exclusion tag; `where` says who told (the finding, or a lookup). */
function exclusionRejection(
  finding: SourcedFinding,
  tags: Record<string, string> | undefined,
  where: string,
  config: RuntimeConfig,
): Rejection | undefined {
  const tag = config.exclusionTag;
  if (!isExcluded(tags, tag)) return undefined;
  const shown = `${tag.key}${tag.value === undefined ? '' : `=${tag.value}`}`;
  return reject(
    'resource-excluded',
    `${finding.resource.type} ${finding.resource.id} carries the exclusion tag ${shown} (${where}); nothing was changed`,
    { finding },
  );
}

function planBot(
  finding: SourcedFinding,
  action: RequestedAction,
  requestedBy: PlannedRun['requestedBy'],
  config: RuntimeConfig,
  registry: Registry,
): PlannedRun | Rejection {
  const no = (code: RejectionCode, reason: string): Rejection => reject(code, reason, { finding, bot: action.bot });
  const bot = registry.getBot(action.bot);
  if (!bot) {
    const suggestion = closestMatch(action.bot, registry.botNames());
    return no(
      'unknown-bot',
      `no bot named "${action.bot}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (see the catalog: npm run catalog)`,
    );
  }
  const name = bot.meta.name;
  if (!config.enabledBots.includes(name)) {
    return no('bot-not-enabled', `bot ${name} is not enabled; add it to bots.enabled in cloudmend.yaml to let it run`);
  }
  if (bot.meta.destructive && !config.optIn.includes(name)) {
    return no('destructive-not-opted-in', `bot ${name} is destructive and runs only when opted in; add it to bots.optIn in cloudmend.yaml`);
  }
  const types = bot.meta.resourceTypes;
  if (!(types as readonly string[]).includes(finding.resource.type) && !types.includes(ACCOUNT)) {
    return no(
      'resource-type-not-supported',
      `bot ${name} acts on ${types.join(', ')}, not on ${finding.resource.type} ${finding.resource.id}`,
    );
  }
  const params = paramsForRun(bot, action, requestedBy, finding, config);
  if (!params.ok) return no('invalid-params', params.error);
  return { finding, bot, params: params.params, requestedBy };
}

/** The partition the deployment runs in: its regions are all of one (the deployer refuses a mix). */
function deploymentPartition(config: RuntimeConfig): string {
  return partitionOf(config.regions[0] ?? 'us-east-1');
}

/** Why no bot runs on a finding nobody asked a bot for, naming where the operator would change that. */
function noBotReason(finding: SourcedFinding, mapped: ReturnType<typeof mappedActions> | { origin: 'finding' }): string {
  if (mapped.origin === 'config') {
    return `no bot requested for ${finding.rule}: mappings.${mapped.table}["${mapped.key}"] in cloudmend.yaml is empty (disabled on purpose)`;
  }
  if (mapped.origin !== 'none' || !mapped.table) {
    return `no bot requested for ${finding.rule}: the finding names none and nothing is configured (an AUTO: tag on the rule)`;
  }
  const where = `mappings.${mapped.table}["${finding.rule}"]`;
  if (mapped.idle.length > 0) {
    return `no bot requested for ${finding.rule}: ${mapped.idle.join(', ')} remediate${mapped.idle.length === 1 ? 's' : ''} it but may not run (enable it in bots.enabled, and opt in when destructive), and nothing is configured (${where})`;
  }
  return `no bot requested for ${finding.rule}: the finding names none and nothing is configured (${where})`;
}

export function planRemediation(finding: SourcedFinding, config: RuntimeConfig, registry: Registry): Plan {
  const only = (code: RejectionCode, reason: string): Plan => ({ runs: [], rejections: [reject(code, reason, { finding })] });
  // First: nothing from a malformed identity may reach a role ARN, a session policy or the tag lookup.
  const malformed = validateFindingIdentity(finding, { partition: deploymentPartition(config) });
  if (malformed.length > 0)
    return only('malformed-event', `the finding's identity is malformed: ${malformed.join('; ')}. Nothing was planned`);
  if (finding.status === 'PASSED') return only('finding-passed', `the finding passed (${finding.rule}); nothing to remediate`);
  const securityHub = (config.sources ?? DEFAULT_SOURCES_SETTINGS).securityHub;
  if (finding.source === 'securityhub' && !isAcceptedSecurityHubProduct(finding.product, securityHub)) {
    return only(
      'product-not-accepted',
      `the Security Hub finding comes from product ${finding.product ?? '(no ProductArn)'}: cloudmend acts on Security Hub's own controls ` +
        `and on the products listed in sources.securityHub.products in cloudmend.yaml (${securityHub.products.join(', ') || 'none'})`,
    );
  }
  const outOfScope = accountOutOfScope(finding.account, config);
  if (outOfScope) return only('account-not-in-scope', outOfScope);
  if (!config.regions.includes(finding.region)) {
    return only(
      'region-not-enabled',
      `region ${finding.region} is not enabled (regions in cloudmend.yaml: ${config.regions.join(', ') || 'none'})`,
    );
  }
  // No exclusion check on the tags the finding carries: they are the source's copy; screenByLookedUpTags decides on live ones.
  const fromFinding = finding.requestedActions.length > 0;
  const mapped = fromFinding ? { origin: 'finding' as const, actions: finding.requestedActions } : mappedActions(finding, config, registry);
  if (mapped.origin === 'none' || mapped.actions.length === 0) {
    return only('no-bot-requested', noBotReason(finding, mapped));
  }
  const requestedBy = mapped.origin === 'finding' ? 'finding' : mapped.origin === 'config' ? 'config mapping' : 'bot metadata';
  const plan: Plan = { runs: [], rejections: [] };
  for (const action of mapped.actions) {
    const result = planBot(finding, action, requestedBy, config, registry);
    if ('code' in result) plan.rejections.push(result);
    else plan.runs.push(result);
  }
  return plan;
}

export interface ScreenedRuns {
  /** Runs that may go ahead. */
  runs: PlannedRun[];
  /** The resource carries the exclusion tag after all. */
  rejections: Rejection[];
  /** Runs that must not go ahead blind: the tags could not be read. Reported as failed, never run. */
  failures: RunOutcome[];
}

/** A bot acting on the account (password policy, EBS default encryption) changes the account, not the finding's resource. */
function changesAccountOnly(run: PlannedRun): boolean {
  return !(run.bot.meta.resourceTypes as readonly string[]).includes(run.finding.resource.type);
}

/**
 * The second, pure half of the exclusion check, on the live tags of the
 * finding's resource (resource-tags.ts): the planned runs of one finding go
 * ahead, are rejected because the resource is excluded, or fail because nobody
 * could tell whether it is (fail closed, never retried blind). A resource the
 * lookup does not know has no tags: its bot will report it missing. Runs of
 * account-level bots do not change the resource and are not held by its tags.
 */
export function screenByLookedUpTags(planned: PlannedRun[], lookup: TagLookup, config: RuntimeConfig): ScreenedRuns {
  const finding0 = planned[0]?.finding;
  // No member role in the account: it is out of scope at run time, for account-level bots too.
  if (finding0 && lookup.status === 'failed' && lookup.error.name === MEMBER_ROLE_ABSENT) {
    return { runs: [], rejections: [reject('account-not-in-scope', lookup.error.message, { finding: finding0 })], failures: [] };
  }
  const accountRuns = planned.filter(changesAccountOnly);
  const runs = planned.filter((run) => !changesAccountOnly(run));
  const finding = runs[0]?.finding;
  if (!finding) return { runs: accountRuns, rejections: [], failures: [] };
  const screened = screenResourceRuns(finding, runs, lookup, config);
  return { ...screened, runs: [...accountRuns, ...screened.runs] };
}

function screenResourceRuns(finding: SourcedFinding, runs: PlannedRun[], lookup: TagLookup, config: RuntimeConfig): ScreenedRuns {
  const what = `cannot read the tags of ${finding.resource.type} ${finding.resource.id} to check the exclusion tag ${config.exclusionTag.key}`;
  switch (lookup.status) {
    case 'not-needed':
    case 'not-found':
      return { runs, rejections: [], failures: [] };
    case 'unsupported': {
      const failed = { name: 'TagLookupUnsupported', message: `${what}: ${lookup.reason}. Not run blind`, retryable: false };
      return { runs: [], rejections: [], failures: runs.map((run) => ({ run, error: failed, durationMs: 0 })) };
    }
    case 'found': {
      const excluded = exclusionRejection(finding, lookup.tags, `read live with ${lookup.target.via}`, config);
      return excluded ? { runs: [], rejections: [excluded], failures: [] } : { runs, rejections: [], failures: [] };
    }
    case 'failed': {
      const { error, target } = lookup;
      const message = lookup.denied
        ? `${what}: ${target.via} was denied in account ${finding.account} (${target.region}). The member role probably predates the exclusion-tag lookup: ` +
          `redeploy the member-role stacks (cdktf deploy) so it grants ${target.via}. Not run blind (${error.message})`
        : `${what}: ${error.message}. Not run blind`;
      const failed = { name: lookup.denied ? 'TagLookupDenied' : error.name, message, retryable: lookup.denied ? false : error.retryable };
      return { runs: [], rejections: [], failures: runs.map((run) => ({ run, error: failed, durationMs: 0 })) };
    }
  }
}
