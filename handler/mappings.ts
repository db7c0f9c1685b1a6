/**
 * Which bots a finding without an `AUTO:` request maps to: the config's
 * `mappings` when an entry there matches the finding (an entry overrides, `[]`
 * disables), otherwise the bots whose metadata declares they remediate it
 * (`meta.remediates`). Keys match in every form the source emits (see
 * findingMappingKeys).
 */
import { defaultMappingTable, normaliseControlId, normaliseMappingKey, configRuleNames, runnable } from '../bots/remediates';
import type { MappingSource, DefaultMappingTable } from '../bots/remediates';
import type { Bot, RequestedAction } from '../bots/types';
import type { RuntimeConfig } from '../config/runtime';
import { parseActionText } from './sources/actions';
import type { SourcedFinding } from './sources/types';

export interface MappingRegistry {
  getBot(name: string): Bot | undefined;
  botNames(): string[];
}

export type MappedActions =
  | { origin: 'config'; table: MappingSource; key: string; actions: RequestedAction[] }
  | { origin: 'metadata'; table: MappingSource; key: string; actions: RequestedAction[] }
  /** Nothing maps the finding; `idle` names bots whose metadata maps it but that may not run. */
  | { origin: 'none'; table?: MappingSource; keys: string[]; idle: string[] };

const ACCOUNT = 'AWS::::Account';

function tableOf(finding: SourcedFinding): MappingSource | undefined {
  switch (finding.source) {
    case 'guardduty':
      return 'guardduty';
    case 'securityhub':
      return 'securityHub';
    case 'config':
      return 'config';
    default:
      return undefined;
  }
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** `cis-aws-foundations-benchmark/v/1.2.0` in a GeneratorId or StandardsControlArn: the standard whose bare ids are CIS 1.2.0 rules. */
const CIS_120 = /cis-aws-foundations-benchmark\/v\/1\.2\.0\//;
/** `.../<standard>/v/<version>/[rule/]<control>`: the control id at the end of a GeneratorId or StandardsControlArn. */
const STANDARD_CONTROL = /(?:^|[:/])([a-z0-9-]+)\/v\/([\d.]+)\/(?:rule\/)?([^/]+)$/;

/**
 * The control ids a Security Hub finding names, normalised: the consolidated
 * `Compliance.SecurityControlId`, the standard's `ProductFields.ControlId`, the
 * CIS 1.2.0 `ProductFields.RuleId`, and the control at the end of `GeneratorId`
 * (`aws-foundational-security-best-practices/v/1.0.0/S3.1`,
 * `arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.4`).
 * A bare number is a CIS 1.2.0 rule only when the finding is from that standard:
 * CIS 1.4.0 numbers its controls differently, and those findings are matched by
 * their consolidated id instead.
 */
export function securityHubKeys(asff: unknown, rule: string): string[] {
  const finding = record(asff);
  const product = record(finding.ProductFields);
  const generator = text(finding.GeneratorId) ?? '';
  const standard = text(product.StandardsControlArn) ?? text(product.StandardsGuideArn) ?? generator;
  const cis120 = CIS_120.test(standard) || CIS_120.test(generator);
  const keys: string[] = [];
  const add = (id: string | undefined, bareIsCis: boolean) => {
    if (!id) return;
    if (/^\d+(\.\d+)+$/.test(id) && !bareIsCis) return;
    keys.push(normaliseControlId(id));
  };
  add(text(record(finding.Compliance).SecurityControlId), false);
  add(text(product.ControlId), cis120);
  add(text(product.RuleId), true);
  const fromGenerator = STANDARD_CONTROL.exec(generator);
  if (fromGenerator) add(fromGenerator[3], CIS_120.test(generator));
  // The rule as the adapter chose it, and a config key spelt as the raw GeneratorId, still match.
  add(rule, cis120);
  if (generator) keys.push(normaliseControlId(generator));
  return [...new Set(keys)];
}

/** Every normalised key under which the mappings may name this finding, most specific first. */
export function findingMappingKeys(finding: SourcedFinding): { table?: MappingSource; keys: string[] } {
  const table = tableOf(finding);
  if (!table) return { keys: [] };
  if (table === 'securityHub') return { table, keys: securityHubKeys(finding.raw, finding.rule) };
  if (table === 'config') return { table, keys: configRuleNames(finding.rule) };
  return { table, keys: [normaliseMappingKey(table, finding.rule)] };
}

/** Config mapping tables keyed by normalised key; built once per config (the handler keeps one for its lifetime). */
const configIndexes = new WeakMap<RuntimeConfig['mappings'], Record<MappingSource, Map<string, { key: string; entries: string[] }>>>();

function configIndex(mappings: RuntimeConfig['mappings']) {
  let index = configIndexes.get(mappings);
  if (!index) {
    index = { securityHub: new Map(), guardduty: new Map(), config: new Map() };
    for (const source of ['securityHub', 'guardduty', 'config'] as const) {
      for (const [key, entries] of Object.entries(mappings[source])) {
        const normalised = normaliseMappingKey(source, key);
        const existing = index[source].get(normalised);
        // Two spellings of one control in the config ("S3.8" and "s3.8") add up rather than one hiding the other.
        index[source].set(normalised, existing ? { key: existing.key, entries: [...existing.entries, ...entries] } : { key, entries });
      }
    }
    configIndexes.set(mappings, index);
  }
  return index;
}

const defaultTables = new WeakMap<MappingRegistry, DefaultMappingTable>();

function defaultTable(registry: MappingRegistry): DefaultMappingTable {
  let table = defaultTables.get(registry);
  if (!table) {
    table = defaultMappingTable(registry.botNames().flatMap((name) => registry.getBot(name) ?? []));
    defaultTables.set(registry, table);
  }
  return table;
}

/**
 * The bots mapped to a finding. The config decides whenever it has an entry for
 * any of the finding's keys; otherwise the metadata defaults, limited to bots
 * that may run (enabled, opted in when destructive) and that act on the
 * finding's resource type: a default that does not fit is no request at all,
 * while a config entry that does not fit is the operator's to hear about.
 */
export function mappedActions(finding: SourcedFinding, config: RuntimeConfig, registry: MappingRegistry): MappedActions {
  const { table, keys } = findingMappingKeys(finding);
  if (!table) return { origin: 'none', keys: [], idle: [] };
  const configured = configIndex(config.mappings)[table];
  const hits = keys.flatMap((key) => configured.get(key) ?? []);
  const [firstHit] = hits;
  if (firstHit) {
    const entries = [...new Set(hits.flatMap((hit) => hit.entries))];
    return {
      origin: 'config',
      table,
      key: firstHit.key,
      actions: entries.flatMap((entry) => parseActionText(entry) ?? []),
    };
  }
  const declared = keys.flatMap((key) => defaultTable(registry)[table].get(key) ?? []);
  const enabled = new Set(config.enabledBots);
  const optIn = new Set(config.optIn);
  const fits = (bot: Bot) =>
    (bot.meta.resourceTypes as readonly string[]).includes(finding.resource.type) || bot.meta.resourceTypes.includes(ACCOUNT);
  const names = [...new Set(declared.flatMap((entry) => entry.bots))];
  const bots = names.flatMap((name) => registry.getBot(name) ?? []).filter(fits);
  const running = bots.filter((bot) => runnable(bot, enabled, optIn));
  const [firstDeclared] = declared;
  if (running.length === 0 || !firstDeclared) {
    return { origin: 'none', table, keys, idle: bots.map((bot) => bot.meta.name) };
  }
  return {
    origin: 'metadata',
    table,
    key: firstDeclared.key,
    actions: running.map((bot) => ({ bot: bot.meta.name, args: [] })),
  };
}
