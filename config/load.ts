/**
 * Loads `cloudmend.yaml`: YAML parsing with positions, zod validation, and
 * cross-checks against the bot catalog. Every problem is reported at once, each
 * as `file:line:column: field: what is wrong. how to fix it`, so a pipeline run
 * shows the whole list instead of one error per attempt.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { BOTS } from '../bots';
import { idleDefaultMappings } from '../bots/remediates';
import { ConfigError, type ConfigIssue, type ConfigNotice } from './errors';
import { botParamsIssues } from './bot-params';
import { ouIssues } from './ou-checks';
import { rolloutIssues } from './rollout-checks';
import { CloudmendConfig } from './schema';
import { MAPPED_SOURCES } from './sources';
import { didYouMean } from '../bots/suggest';

type PathKey = string | number;

export function formatPath(path: readonly PathKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
}

/** The deepest YAML node that exists along `path` (the field itself, or the map that lacks it). */
function nodeAt(doc: Document, path: readonly PathKey[]): { node: Node | undefined; found: boolean } {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const next = (node as { get?: (key: unknown, keepScalar: boolean) => unknown })?.get?.(path[i], true);
    if (next === undefined || next === null) return { node: node as Node, found: false };
    node = next;
  }
  return { node: node as Node, found: true };
}

/** The key node of `key` inside the map at `path`, for pointing at an unknown key itself. */
function keyNodeAt(doc: Document, path: readonly PathKey[], key: string): Node | undefined {
  const { node } = nodeAt(doc, path);
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

/** The parts of a zod 4 schema's definition that objectKeysAt reads. */
interface SchemaNode {
  _zod?: {
    def?: {
      type: string;
      innerType?: SchemaNode;
      in?: SchemaNode;
      shape?: Record<string, SchemaNode>;
      element?: SchemaNode;
      valueType?: SchemaNode;
      options?: SchemaNode[];
    };
  };
}

const keysOf = (node: SchemaNode | undefined): string[] => {
  const def = node?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
};

/** Allowed keys of the object schema at `path`, for hints on unknown keys. */
function objectKeysAt(schema: z.ZodTypeAny, path: readonly PathKey[]): string[] {
  let current = schema as unknown as SchemaNode | undefined;
  const unwrap = () => {
    for (;;) {
      const def = current?._zod?.def;
      if (!def) return;
      if (def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'prefault') {
        current = def.innerType;
      } else if (def.type === 'pipe') {
        current = def.in;
      } else return;
    }
  };
  unwrap();
  for (const key of path) {
    const def = current?._zod?.def;
    if (!def) return [];
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
    unwrap();
  }
  const def = current?._zod?.def;
  if (def?.type === 'union') return [...new Set((def.options ?? []).flatMap(keysOf))];
  return keysOf(current);
}

function messageFor(issue: z.core.$ZodIssue): string {
  const missing = issue.input === undefined && ['invalid_type', 'invalid_union', 'invalid_value'].includes(issue.code);
  if (missing) return 'required, but missing: add it';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `got ${describeValue(issue.input)}; allowed values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: unknown }).discriminator;
      if (typeof discriminator === 'string' && issue.errors.length === 0) {
        const value = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
        return `${discriminator} ${describeValue(value)} is not one of the kinds allowed here; see config/cloudmend.schema.json`;
      }
      const literals = issue.errors.flat().flatMap((e) => (e.code === 'invalid_value' ? e.values : []));
      if (literals.length > 0) {
        return `got ${describeValue(issue.input)}; expected ${literals.map((v) => JSON.stringify(v)).join(' or ')} or one of the other allowed forms`;
      }
      const inner = issue.errors.flat().map((e) => e.message);
      return `${describeValue(issue.input)} matches none of the allowed forms: ${[...new Set(inner)].join('; ')}`;
    }
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

export interface LoadOptions {
  /** Bot names the config may refer to; defaults to the shipped catalog. */
  botNames?: readonly string[];
  /** Destructive bots (need opt-in); defaults to the shipped catalog's. */
  destructiveBots?: readonly string[];
  /** Also check what the member-role rollout needs (config/rollout-checks.ts): synth does. */
  rollout?: boolean;
}

/** A valid config and what the operator should hear about it: never fatal (see ConfigNotice). */
export interface LoadedConfig {
  config: CloudmendConfig;
  warnings: ConfigNotice[];
}

/** Parses and validates config text. `file` is used in messages and to resolve relative paths. */
export function parseConfig(text: string, file: string, options: LoadOptions = {}): CloudmendConfig {
  return parseConfigWithWarnings(text, file, options).config;
}

/** parseConfig, with the warnings and info lines of a config that is valid but may not do what its author thinks. */
export function parseConfigWithWarnings(text: string, file: string, options: LoadOptions = {}): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };

  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        ...at(e.pos[0]),
        field: '',
        message: `YAML syntax: ${e.message.split(' at line')[0]}. Fix the YAML (indentation, quotes, brackets) at this position.`,
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    // yaml refuses a document whose aliases expand past its limit (an alias bomb): one line, no stack trace.
    throw new ConfigError([
      {
        file,
        line: 1,
        column: 1,
        field: '',
        message: `cannot read the YAML: ${(error as Error).message}. Remove the anchors and aliases (&name, *name) that repeat each other`,
      },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([
      { file, line: 1, column: 1, field: '', message: 'expected a mapping of settings (securityAccount:, organization:, bots: ...)' },
    ]);
  }

  const issues: ConfigIssue[] = [];
  const parsed = CloudmendConfig.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as PathKey[];
      if (issue.code === 'unrecognized_keys') {
        const allowed = objectKeysAt(CloudmendConfig, path);
        for (const key of issue.keys) {
          const node = keyNodeAt(doc, path, key);
          issues.push({
            file,
            ...at(node?.range?.[0]),
            field: formatPath([...path, key]),
            message: `unknown key "${key}".${didYouMean(key, allowed)} Allowed here: ${allowed.join(', ')}`,
          });
        }
        continue;
      }
      const { node } = nodeAt(doc, path);
      issues.push({ file, ...at(node?.range?.[0]), field: formatPath(path), message: messageFor(issue) });
    }
    throw new ConfigError(sortIssues(issues));
  }

  const config = parsed.data;
  const names = new Set(options.botNames ?? BOTS.map((b) => b.meta.name));
  const destructive = new Set(options.destructiveBots ?? BOTS.filter((b) => b.meta.destructive).map((b) => b.meta.name));
  const checkBot = (name: string, path: PathKey[]) => {
    if (names.has(name)) return true;
    const { node } = nodeAt(doc, path);
    issues.push({
      file,
      ...at(node?.range?.[0]),
      field: formatPath(path),
      message: `unknown bot "${name}".${didYouMean(name, names)} See docs/bots.md for the catalog.`,
    });
    return false;
  };
  const enabled = config.bots.enabled === 'all' ? names : new Set(config.bots.enabled);
  if (config.bots.enabled !== 'all') {
    config.bots.enabled.forEach((name, i) => {
      checkBot(name, ['bots', 'enabled', i]);
    });
  }
  config.bots.optIn.forEach((name, i) => {
    if (!checkBot(name, ['bots', 'optIn', i])) return;
    const path = ['bots', 'optIn', i];
    const { node } = nodeAt(doc, path);
    if (!destructive.has(name)) {
      issues.push({
        file,
        ...at(node?.range?.[0]),
        field: formatPath(path),
        message: `${name} is not destructive and needs no opt-in: remove it from bots.optIn`,
      });
    } else if (!enabled.has(name)) {
      issues.push({
        file,
        ...at(node?.range?.[0]),
        field: formatPath(path),
        message: `${name} is opted in but not enabled: add it to bots.enabled too`,
      });
    }
  });
  for (const name of Object.keys(config.bots.params)) {
    if (!names.has(name)) {
      const node = keyNodeAt(doc, ['bots', 'params'], name);
      issues.push({
        file,
        ...at(node?.range?.[0]),
        field: formatPath(['bots', 'params', name]),
        message: `params for unknown bot "${name}".${didYouMean(name, names)}`,
      });
    }
  }
  for (const source of MAPPED_SOURCES.map((s) => s.mapping.key)) {
    for (const [key, invocations] of Object.entries(config.mappings[source])) {
      invocations.forEach((invocation, i) => {
        const name = invocation.trim().split(/\s+/)[0] ?? '';
        const path = ['mappings', source, key, i];
        if (!checkBot(name, path)) return;
        if (!enabled.has(name)) {
          const { node } = nodeAt(doc, path);
          issues.push({
            file,
            ...at(node?.range?.[0]),
            field: formatPath(path),
            message: `${name} is mapped but not enabled: add it to bots.enabled, or remove the mapping`,
          });
        }
      });
    }
  }
  const catalog = BOTS.filter((b) => names.has(b.meta.name)).map((b) => b.meta);
  for (const { path, message } of [...botParamsIssues(config, catalog), ...ouIssues(config)]) {
    const { node } = nodeAt(doc, path);
    issues.push({ file, ...at(node?.range?.[0]), field: formatPath(path), message });
  }
  if (options.rollout) {
    for (const { path, message } of rolloutIssues(config)) {
      const { node } = nodeAt(doc, path);
      issues.push({ file, ...at(node?.range?.[0]), field: formatPath(path), message });
    }
  }
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));

  const notice = (level: ConfigNotice['level'], path: PathKey[], message: string): ConfigNotice => {
    const { node } = nodeAt(doc, path);
    return { level, file, ...at(node?.range?.[0]), field: formatPath(path), message };
  };
  const warnings: ConfigNotice[] = [];
  if (config.bots.enabled !== 'all' && config.bots.enabled.length === 0) {
    warnings.push(
      notice(
        'warning',
        ['bots', 'enabled'],
        'no bot is enabled: cloudmend deploys, receives findings and remediates nothing. List the bots to run ' +
          '(bots.enabled: [s3_block_all_public_access, ...]; docs/bots.md has the catalog) or write bots.enabled: all',
      ),
    );
  } else {
    const catalogBots = BOTS.filter((b) => names.has(b.meta.name));
    const idle = idleDefaultMappings(catalogBots, enabled, new Set(config.bots.optIn), config.mappings);
    if (idle.length > 0) {
      warnings.push({
        ...notice(
          'warning',
          ['bots', 'enabled'],
          `${idle.length} bot(s) remediate findings by default but may not run, so these findings get no bot ` +
            '(enable the bot in bots.enabled, and opt in when destructive, or map the finding under mappings):',
        ),
        details: idle.map((entry) => `- ${entry.bot} (${entry.why}): ${entry.keys.join(', ')}`),
      });
    }
  }
  warnings.push(...securityAccountNotices(config, notice));

  if (config.organization.inventoryFile) {
    config.organization.inventoryFile = resolve(dirname(file), config.organization.inventoryFile);
  }
  return { config, warnings: sortIssues(warnings) };
}

/**
 * The security account runs the handlers and is always in scope (config/inventory.ts
 * scopeInventory, handler/account-scope.ts): its own findings are remediated like
 * any member account's, and no organization include/exclude setting takes it out.
 * Said once as an info line, and as a warning where the config tries to exclude it.
 */
function securityAccountNotices(
  config: CloudmendConfig,
  notice: (level: ConfigNotice['level'], path: PathKey[], message: string) => ConfigNotice,
): ConfigNotice[] {
  const id = config.securityAccount;
  const tag = config.exclusionTag.value === undefined ? config.exclusionTag.key : `${config.exclusionTag.key}=${config.exclusionTag.value}`;
  const keepOut = `to leave a resource there alone, tag it ${tag}`;
  const notices = [
    notice(
      'info',
      ['securityAccount'],
      `security account ${id} is always in scope: the handlers run there and its findings are remediated like a member ` +
        `account's (organization.includeAccounts, excludeAccounts, includeOus and excludeOus never apply to it); ${keepOut}`,
    ),
  ];
  const org = config.organization;
  org.excludeAccounts.forEach((account, i) => {
    if (account === id) {
      notices.push(
        notice(
          'warning',
          ['organization', 'excludeAccounts', i],
          `the security account ${id} cannot be excluded: it stays in scope and is remediated; remove it from here (${keepOut})`,
        ),
      );
    }
  });
  if (org.includeAccounts.length > 0 && !org.includeAccounts.includes(id)) {
    notices.push(
      notice(
        'warning',
        ['organization', 'includeAccounts'],
        `the security account ${id} is not listed but is in scope anyway and is remediated (${keepOut})`,
      ),
    );
  }
  return notices;
}

/**
 * One notice as the CLI and synth print it: `warning: file:line:column: field: message`,
 * its details on the following lines, indented by `indent` plus two spaces.
 */
export function formatNotice(notice: ConfigNotice, indent = ''): string {
  const head = `${notice.level}: ${notice.file}:${notice.line}:${notice.column}: ${notice.field ? `${notice.field}: ` : ''}${notice.message}`;
  return [head, ...(notice.details ?? []).map((line) => `${indent}  ${line}`)].join('\n');
}

function sortIssues<T extends ConfigIssue>(issues: T[]): T[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Reads and validates a config file; throws ConfigError (never a stack trace for the user) on any problem. */
export function loadConfig(file: string, options: LoadOptions = {}): CloudmendConfig {
  return loadConfigWithWarnings(file, options).config;
}

/** loadConfig, with the config's warnings and info lines (LoadedConfig). */
export function loadConfigWithWarnings(file: string, options: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([
      {
        file,
        line: 0,
        column: 0,
        field: '',
        message: `cannot read the config: ${reason}. Pass the path with CLOUDMEND_CONFIG or --config`,
      },
    ]);
  }
  return parseConfigWithWarnings(text, file, options);
}
