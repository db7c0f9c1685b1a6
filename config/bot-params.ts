/**
 * Bot params in the config, checked against each bot's own schema when the
 * config loads, so `days: 9999`, `dayz: 7` or `traffic_type=bogus` stop synth
 * (and `cloudmend invoke`) with the field at fault, instead of failing on
 * every finding at run time. The same resolution the planner uses
 * (bots/args.ts): `bots.params` as the defaults, a mapping's own arguments
 * over them.
 */
import { resolveParams } from '../bots/args';
import { closestMatch } from '../bots/suggest';
import type { BotMeta } from '../bots/types';
import type { CloudmendConfig } from './schema';
import { MAPPED_SOURCES } from './sources';

export interface ParamIssue {
  path: (string | number)[];
  message: string;
}

type Meta = Pick<BotMeta, 'name' | 'params' | 'positional'>;

function declaredKeys(meta: Meta): string[] {
  const shape = (meta.params as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** `bots.params.<bot>`: each param by the bot's schema; an unknown param with the closest known one. */
function defaultsIssues(meta: Meta, params: Record<string, unknown>): ParamIssue[] {
  const base = ['bots', 'params', meta.name];
  const parsed = meta.params.safeParse(params);
  if (parsed.success) return [];
  const keys = declaredKeys(meta);
  return parsed.error.issues.flatMap((issue): ParamIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const close = closestMatch(key, keys);
        return {
          path: [...base, key],
          message: `${meta.name} has no param "${key}".${close ? ` Did you mean "${close}"?` : ''} It takes: ${keys.join(', ') || 'none'}`,
        };
      });
    }
    const param = issue.path[0];
    const got = typeof param === 'string' && Object.hasOwn(params, param) ? ` (got ${JSON.stringify(params[param])})` : '';
    return [
      {
        path: [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
        message: `${meta.name}: ${issue.message}${got}`,
      },
    ];
  });
}

/** Every params problem in the config, each at the field to fix. Bots not in `bots` are left to the unknown-bot check. */
export function botParamsIssues(config: CloudmendConfig, bots: readonly Meta[]): ParamIssue[] {
  const byName = new Map(bots.map((b) => [b.name, b]));
  const issues: ParamIssue[] = [];
  // A bot whose defaults are wrong is reported there once, not again at every mapping that uses them.
  const badDefaults = new Set<string>();
  for (const [name, params] of Object.entries(config.bots.params)) {
    const meta = byName.get(name);
    const found = meta ? defaultsIssues(meta, params) : [];
    if (found.length > 0) badDefaults.add(name);
    issues.push(...found);
  }
  for (const { mapping } of MAPPED_SOURCES) {
    for (const [key, invocations] of Object.entries(config.mappings[mapping.key])) {
      invocations.forEach((invocation, index) => {
        const [name = '', ...args] = invocation.trim().split(/\s+/);
        const meta = byName.get(name);
        if (!meta || args.length === 0 || badDefaults.has(name)) return;
        const resolved = resolveParams(meta, args, config.bots.params[name] ?? {});
        if (!resolved.ok) issues.push({ path: ['mappings', mapping.key, key, index], message: `"${invocation}": ${resolved.error}` });
      });
    }
  }
  return issues;
}
