/**
 * Which bots run on a finding, with which params, or why not. Pure: the same
 * finding and config always give the same plan, and every bot that does not
 * run is a rejection with a reason the operator can act on.
 */
import { resolveParams } from '../bots/args';
import type { Bot, RequestedAction } from '../bots/types';
import type { RuntimeConfig } from '../config/runtime';
import { reject, type Rejection, type RejectionCode } from './rejection';
import { parseActionText } from './sources/actions';
import type { SourcedFinding } from './sources/types';
import { closestName } from './suggest';

export interface Registry {
  getBot(name: string): Bot | undefined;
  botNames(): string[];
}

export interface PlannedRun {
  finding: SourcedFinding;
  bot: Bot;
  /** Validated params: config defaults overridden by the finding's arguments. */
  params: unknown;
  /** Where the request came from, for the report. */
  requestedBy: 'finding' | 'config mapping';
}

export interface Plan {
  runs: PlannedRun[];
  rejections: Rejection[];
}

/** Bots acting on the account itself (password policy, EBS default encryption) apply to a finding on any resource in it. */
const ACCOUNT = 'AWS::::Account';

function mappedActions(finding: SourcedFinding, config: RuntimeConfig): { actions: RequestedAction[]; table?: string } {
  const table =
    finding.source === 'guardduty' ? 'guardduty' : finding.source === 'securityhub' ? 'securityHub' : finding.source === 'config' ? 'config' : undefined;
  if (!table) return { actions: [] };
  const entries = config.mappings[table][finding.rule] ?? [];
  return { actions: entries.flatMap((text) => parseActionText(text) ?? []), table };
}

function isExcluded(finding: SourcedFinding, tag: RuntimeConfig['exclusionTag']): boolean {
  const tags = finding.resource.tags;
  if (!tags || !(tag.key in tags)) return false;
  return tag.value === undefined || tags[tag.key] === tag.value;
}

function planBot(finding: SourcedFinding, action: RequestedAction, requestedBy: PlannedRun['requestedBy'], config: RuntimeConfig, registry: Registry): PlannedRun | Rejection {
  const no = (code: RejectionCode, reason: string): Rejection => reject(code, reason, { finding, bot: action.bot });
  const bot = registry.getBot(action.bot);
  if (!bot) {
    const suggestion = closestName(action.bot, registry.botNames());
    return no('unknown-bot', `no bot named "${action.bot}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (see the catalog: npm run catalog)`);
  }
  const name = bot.meta.name;
  if (!config.enabledBots.includes(name)) {
    return no('bot-not-enabled', `bot ${name} is not enabled; add it to bots.enabled in cloudmend.yaml to let it run`);
  }
  if (bot.meta.destructive && !config.optIn.includes(name)) {
    return no('destructive-not-opted-in', `bot ${name} is destructive and runs only when opted in; add it to bots.optIn in cloudmend.yaml`);
  }
  const types = bot.meta.resourceTypes;
  if (!types.includes(finding.resource.type) && !types.includes(ACCOUNT)) {
    return no('resource-type-not-supported', `bot ${name} acts on ${types.join(', ')}, not on ${finding.resource.type} ${finding.resource.id}`);
  }
  const params = resolveParams(bot.meta, action.args, config.params[name] ?? {});
  if (!params.ok) return no('invalid-params', params.error);
  return { finding, bot, params: params.params, requestedBy };
}

export function planRemediation(finding: SourcedFinding, config: RuntimeConfig, registry: Registry): Plan {
  const only = (code: RejectionCode, reason: string): Plan => ({ runs: [], rejections: [reject(code, reason, { finding })] });
  if (finding.status === 'PASSED') return only('finding-passed', `the finding passed (${finding.rule}); nothing to remediate`);
  if (!(finding.account in config.accounts)) {
    return only('account-not-in-scope', `account ${finding.account} is not in scope (organization include/exclude settings in cloudmend.yaml)`);
  }
  if (!config.regions.includes(finding.region)) {
    return only('region-not-enabled', `region ${finding.region} is not enabled (regions in cloudmend.yaml: ${config.regions.join(', ') || 'none'})`);
  }
  const tag = config.exclusionTag;
  if (isExcluded(finding, tag)) {
    return only('resource-excluded', `${finding.resource.type} ${finding.resource.id} carries the exclusion tag ${tag.key}${tag.value === undefined ? '' : `=${tag.value}`}`);
  }
  const fromFinding = finding.requestedActions.length > 0;
  const mapped = fromFinding ? { actions: finding.requestedActions } : mappedActions(finding, config);
  if (mapped.actions.length === 0) {
    const where = 'table' in mapped && mapped.table ? `mappings.${mapped.table}["${finding.rule}"]` : 'an AUTO: tag on the rule';
    return only('no-bot-requested', `no bot requested for ${finding.rule}: the finding names none and nothing is configured (${where})`);
  }
  const plan: Plan = { runs: [], rejections: [] };
  for (const action of mapped.actions) {
    const result = planBot(finding, action, fromFinding ? 'finding' : 'config mapping', config, registry);
    if ('code' in result) plan.rejections.push(result);
    else plan.runs.push(result);
  }
  return plan;
}
