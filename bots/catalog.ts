/**
 * The bot catalog as markdown, generated from the bots' own metadata so it can
 * never drift from what the bots do and what the deployer grants them. Pure:
 * bots in, text out (bots/catalog-cli.ts writes it to docs/bots.md).
 */
import { z } from 'zod';
import { CLOUDBOTS_NAMES, coverage } from './coverage';
import { defaultMappingTable, MAPPING_SOURCES, type MappingSource, NOT_REMEDIATED, normaliseControlId } from './remediates';
import type { Bot, Permission } from './types';

/** One row of a bot's params table. */
export interface ParamDoc {
  name: string;
  type: string;
  /** JSON text of the default, absent when there is none. */
  default?: string;
  required: boolean;
  description: string;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
}

/** `integer (1-35)`, `"all" | "accept"`, `string[]`: the type as a reader of the catalog thinks of it. */
export function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' \\| ');
  const base = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
  if (base === 'array') return `${schema.items ? typeOf(schema.items) : 'any'}[]`;
  const bounds = [schema.minimum ?? schema.minLength, schema.maximum ?? schema.maxLength];
  const range = bounds[0] !== undefined || bounds[1] !== undefined ? ` (${bounds[0] ?? ''}-${bounds[1] ?? ''})` : '';
  const format = schema.format ? `, ${schema.format}` : '';
  return `${base}${range}${format}`;
}

/**
 * Params as users set them: types and defaults as the bot receives them (the
 * output schema: a boolean stays a boolean even though `AUTO:` sends "true"),
 * required-ness as the planner checks it (the input schema).
 */
export function paramsOf(bot: Pick<Bot, 'meta'>): ParamDoc[] {
  const output = jsonSchema(bot.meta.params, 'output');
  const required = new Set(jsonSchema(bot.meta.params, 'input').required ?? []);
  return Object.entries(output.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeOf(property),
    ...(property.default !== undefined ? { default: JSON.stringify(property.default) } : {}),
    required: required.has(name),
    description: property.description ?? '',
  }));
}

/** A value as written in an `AUTO:` argument. */
function argumentValue(param: ParamDoc): string | undefined {
  if (param.default === undefined) return param.required ? `<${param.name}>` : undefined;
  const value: unknown = JSON.parse(param.default);
  if (typeof value === 'string') return value === '' || /\s/.test(value) ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * CloudGuard compliance tags that run this bot: the bare name when every param
 * has a default, the positional form (CloudBots style) when the bot has one, and
 * a `key=value` form with the required params (or, when none, the first one).
 */
export function usageExamples(bot: Pick<Bot, 'meta'>): string[] {
  const params = paramsOf(bot);
  const name = bot.meta.name;
  const tag = (args: string[]) => [`AUTO: ${name}`, ...args].join(' ');
  const examples: string[] = [];
  if (bot.meta.params.safeParse({}).success) examples.push(tag([]));

  const byName = new Map(params.map((p) => [p.name, p]));
  const positionalValues = (bot.meta.positional ?? []).map((p) => {
    const param = byName.get(p);
    return param ? argumentValue(param) : undefined;
  });
  if (positionalValues.length > 0 && positionalValues.every((v) => v !== undefined)) examples.push(tag(positionalValues as string[]));

  const required = params.filter((p) => p.required);
  const shown = required.length > 0 ? required : params.filter((p) => argumentValue(p) !== undefined).slice(0, 1);
  const pairs = shown.map((p) => `${p.name}=${argumentValue(p) ?? `<${p.name}>`}`);
  if (pairs.length > 0) examples.push(tag(pairs));
  return [...new Set(examples)];
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

function code(text: string): string {
  return `\`${text}\``;
}

function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function conditionText(permission: Permission): string {
  if (!permission.conditions) return '';
  return Object.entries(permission.conditions)
    .flatMap(([operator, clauses]) =>
      Object.entries(clauses).map(([key, value]) => code(`${operator} ${key} = ${Array.isArray(value) ? value.join(', ') : value}`)),
    )
    .join('<br>');
}

function paramsSection(bot: Bot): string[] {
  const params = paramsOf(bot);
  if (params.length === 0) return ['No params.'];
  const positional = bot.meta.positional ?? [];
  const rows = params.map((p) => {
    const position = positional.indexOf(p.name);
    const name = position >= 0 ? `${code(p.name)} (positional ${position + 1})` : code(p.name);
    const defaultText = p.default !== undefined ? code(p.default) : p.required ? '**required**' : '(none)';
    return `| ${name} | ${cell(p.type)} | ${defaultText} | ${cell(p.description)} |`;
  });
  return ['| Param | Type | Default | Description |', '|---|---|---|---|', ...rows];
}

function permissionsSection(bot: Bot): string[] {
  const anyConditions = bot.meta.permissions.some((p) => p.conditions);
  const header = anyConditions
    ? ['| Actions | Resources | Conditions | Why |', '|---|---|---|---|']
    : ['| Actions | Resources | Why |', '|---|---|---|'];
  const rows = bot.meta.permissions.map((p) => {
    const actions = p.actions.map(code).join('<br>');
    const resources = p.resources.map(code).join('<br>') + (p.global ? ' (global service)' : '');
    const conditions = anyConditions ? ` ${conditionText(p)} |` : '';
    return `| ${actions} | ${resources} |${conditions} ${cell(p.reason)} |`;
  });
  return [...header, ...rows];
}

function botSection(bot: Bot): string[] {
  const { meta } = bot;
  const lines = [`## ${meta.name}`, '', cell(meta.summary), ''];
  if (meta.description) lines.push(meta.description.trim(), '');
  lines.push(
    `- **Acts on:** ${meta.resourceTypes.map(code).join(', ')}`,
    `- **Destructive:** ${meta.destructive ? '**yes**: runs only when the config opts in to it' : 'no'}`,
    `- **Usage:** ${usageExamples(bot).map(code).join(' or ')}`,
    `- **A finding may set:** ${meta.overridable?.length ? meta.overridable.map(code).join(', ') : 'no params (all come from the config)'}`,
    ...Object.entries(meta.sensitiveParams ?? {}).map(
      ([param, kind]) =>
        `- **${code(param)}** names a ${kind === 'key' ? 'KMS key' : kind === 'own-destination' ? 'destination' : kind}: config only`,
    ),
    ...remediatesLines(bot),
    '',
    '### Params',
    '',
    ...paramsSection(bot),
    '',
    '### IAM permissions',
    '',
    ...permissionsSection(bot),
    '',
  );
  return lines;
}

const SOURCE_TITLE: Record<MappingSource, string> = {
  securityHub: 'Security Hub controls',
  guardduty: 'GuardDuty finding types',
  config: 'AWS Config rules',
};

/** The findings a bot runs on without a config mapping, one line per source. */
function remediatesLines(bot: Bot): string[] {
  return MAPPING_SOURCES.flatMap((source) => {
    const keys = bot.meta.remediates?.[source] ?? [];
    return keys.length > 0 ? [`- **Remediates ${SOURCE_TITLE[source]}:** ${keys.map(code).join(', ')}`] : [];
  });
}

/**
 * The default mapping table: every finding key some bot declares, with the bots
 * it runs when they are enabled (and opted in when destructive) and the config's
 * `mappings` say nothing for that key.
 */
function mappingsSection(bots: readonly Bot[]): string[] {
  const table = defaultMappingTable(bots);
  const lines = [
    '## Default mappings',
    '',
    "Findings without an `AUTO:` tag run the enabled bots whose metadata declares them. A `mappings` entry in cloudmend.yaml for the same key overrides this (`[]` turns it off). Security Hub ids match in every form Security Hub emits: the consolidated `Compliance.SecurityControlId`, the standard's `ProductFields.ControlId`, the CIS 1.2.0 `ProductFields.RuleId` (written `CIS.<rule>` here) and the control at the end of `GeneratorId`. Config rules match by the managed rule's name, also inside the names Security Hub (`securityhub-<name>-<suffix>`) and conformance packs (`<name>-conformance-pack-<suffix>`) give them.",
    '',
  ];
  for (const source of MAPPING_SOURCES) {
    const entries = [...table[source].values()].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    if (entries.length === 0) continue;
    lines.push(`### ${SOURCE_TITLE[source]}`, '', '| Finding | Bots |', '|---|---|');
    lines.push(...entries.map((entry) => `| ${code(entry.key)} | ${entry.bots.map((b) => `[${b}](#${anchor(b)})`).join(', ')} |`), '');
  }
  lines.push(
    '### Not remediated on purpose',
    '',
    'No bot declares these; a `mappings` entry can still send them to one.',
    '',
    '| Finding | Source | Why not |',
    '|---|---|---|',
    ...NOT_REMEDIATED.map((entry) => `| ${entry.keys.map(code).join(', ')} | ${SOURCE_TITLE[entry.source]} | ${cell(entry.why)} |`),
    '',
  );
  return lines;
}

/** The stated reason a Security Hub control has no bot, if there is one. */
function whyNotRemediated(control: string): string | undefined {
  const key = normaliseControlId(control);
  return NOT_REMEDIATED.find((entry) => entry.source === 'securityHub' && entry.keys.some((k) => normaliseControlId(k) === key))?.why;
}

/** What the catalog reaches of the catalogs users migrate from: ASR's controls and the CloudBots names. */
function coverageSection(bots: readonly Bot[]): string[] {
  const { controls, otherServices, cloudBots } = coverage(bots);
  const covered = controls.filter((c) => c.bots.length > 0).length;
  const lines = [
    '## Coverage',
    '',
    `**CloudBots names:** ${cloudBots.accepted.length} of ${CLOUDBOTS_NAMES.length} accepted` +
      (cloudBots.missing.length > 0
        ? ` (not yet: ${cloudBots.missing.map(code).join(', ')}).`
        : ': every `AUTO:` rule naming one works unchanged.'),
    '',
    `**AWS Automated Security Response (v3.1.5, Security Controls playbook):** ${covered} of the ${controls.length} controls in services ` +
      `these bots act on have a bot; ${otherServices.length} more are in services no bot acts on (${otherServices.map(code).join(', ')}).`,
    '',
    '| Control | Bots | Or why not |',
    '|---|---|---|',
    ...controls.map(
      (c) =>
        `| ${code(c.control)} | ${c.bots.map((b) => `[${b}](#${anchor(b)})`).join(', ') || '-'} | ${c.bots.length > 0 ? '' : cell(whyNotRemediated(c.control) ?? 'not yet')} |`,
    ),
    '',
  ];
  return lines;
}

/** The whole catalog, bots in registry order. */
export function renderCatalog(bots: readonly Bot[]): string {
  const destructive = bots.filter((b) => b.meta.destructive).length;
  const index = bots.map(
    (b) =>
      `| [${b.meta.name}](#${anchor(b.meta.name)}) | ${cell(b.meta.summary)} | ${b.meta.resourceTypes.map(code).join(', ')} | ${b.meta.destructive ? '**yes**' : 'no'} |`,
  );
  return [
    '# Bot catalog',
    '',
    "<!-- Generated from the bots' metadata by `npm run catalog` (bots/catalog-cli.ts). Do not edit by hand. -->",
    '',
    `${bots.length} bots, ${destructive} of them destructive (they run only when the config opts in to them). ` +
      'Run a bot from a CloudGuard rule with a compliance tag `AUTO: <bot> <params>`; params are `key=value` pairs ' +
      'or, where a bot names positional params, values in that order. Resource templates use `{partition}`, `{region}`, ' +
      '`{account}` and `{resourceId}`: the member role grants them for every deployed region, and each run narrows them to ' +
      "the finding's resource through a session policy. Placeholders such as `{volumeId}` or `{networkInterfaceId}` stand for " +
      "ids the bot reads first (the instance's volumes, its interfaces): it writes to them only with a second session policy " +
      "naming exactly the ids read. A finding's arguments set only the params a bot lists as settable by findings; every " +
      "other param is the config's, and a destination or KMS key must be in the finding's account or on `trust` in cloudmend.yaml.",
    '',
    '| Bot | What it does | Acts on | Destructive |',
    '|---|---|---|---|',
    ...index,
    '',
    ...coverageSection(bots),
    ...mappingsSection(bots),
    ...bots.flatMap(botSection),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}
