/**
 * CloudBots arguments -> a bot's params. CloudGuard rules carry arguments as
 * text after the bot name (`AUTO: rds_enable_backup 14`,
 * `AUTO: vpc_turn_on_flow_logs traffic_type=all`,
 * `AUTO: iam_turn_on_password_policy MinimumPasswordLength:14`); the config
 * carries typed defaults. Finding arguments win over defaults, then the bot's
 * own schema validates the result.
 */
import { z } from 'zod';
import type { BotMeta, SensitiveParamKind } from './types';

/**
 * A yes/no param: a boolean from the config, or text from a CloudGuard rule's
 * arguments ("true", "False", "yes"). Never `z.coerce.boolean`, which reads "false" as true.
 */
export const flagParam = z.union([z.boolean(), z.stringbool()]);

export type ParamsResult = { ok: true; params: unknown } | { ok: false; error: string };

/** The param names the schema declares, when it is an object schema. */
function declaredKeys(schema: z.ZodTypeAny): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** `MinimumPasswordLength`, `minimum_password_length` and `minimum-password-length` name the same param. */
function canonical(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Builds the params object from CloudBots arguments: `key=value`, `Key:Value`
 * (the password policy style) and positional arguments mapped through
 * `meta.positional`. Keys match declared params regardless of case and `_`/`-`.
 */
export function argsToParams(
  meta: Pick<BotMeta, 'name' | 'params' | 'positional'>,
  args: readonly string[],
): { ok: true; params: Record<string, string> } | { ok: false; error: string } {
  const keys = declaredKeys(meta.params);
  const byCanonical = new Map(keys.map((k) => [canonical(k), k]));
  const params: Record<string, string> = {};
  const positional: string[] = [];
  for (const arg of args) {
    const eq = /^([A-Za-z][\w-]*)=(.*)$/s.exec(arg);
    const colon = eq ? null : /^([A-Za-z][\w-]*):(.*)$/s.exec(arg);
    const [, name = '', value = ''] = eq ?? colon ?? [];
    const key = eq || colon ? byCanonical.get(canonical(name)) : undefined;
    if (key) {
      params[key] = value;
    } else if (eq) {
      // `key=value` is always meant as a named param: an unknown key is a typo, not a value.
      const known = keys.length ? `; it takes ${keys.join(', ')}` : '; it takes no params';
      return { ok: false, error: `${meta.name} has no param "${eq[1]}"${known}` };
    } else {
      // `Key:Value` with an unknown key may be a value that contains a colon (an ARN): positional.
      positional.push(arg);
    }
  }
  const slots = meta.positional ?? [];
  if (positional.length > slots.length) {
    const takes = slots.length ? `takes ${slots.length} positional argument(s) (${slots.join(', ')})` : 'takes no positional arguments';
    return { ok: false, error: `${meta.name} ${takes}, got ${positional.length}: ${positional.join(' ')}` };
  }
  slots.forEach((slot, i) => {
    const value = positional[i];
    if (value !== undefined) params[slot] ??= value;
  });
  return { ok: true, params };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * The params a bot runs with: config defaults, overridden by the finding's
 * arguments, validated by the bot's schema. Errors name the bot and the param.
 */
export function resolveParams(
  meta: Pick<BotMeta, 'name' | 'params' | 'positional'>,
  args: readonly string[],
  defaults: Record<string, unknown> = {},
): ParamsResult {
  const fromArgs = argsToParams(meta, args);
  if (!fromArgs.ok) return fromArgs;
  const parsed = meta.params.safeParse({ ...defaults, ...fromArgs.params });
  if (!parsed.success) return { ok: false, error: `invalid params for ${meta.name}: ${describeIssues(parsed.error)}` };
  return { ok: true, params: parsed.data };
}

/** Who wrote a bot's arguments: the operator (`bots.params`, a `mappings` entry) or the finding (an `AUTO:` tag, `remediation.actions`). */
export type ArgsOrigin = 'config' | 'finding';

type OverrideMeta = Pick<BotMeta, 'name' | 'params' | 'positional' | 'overridable' | 'sensitiveParams'>;

const SENSITIVE_LABEL: Record<SensitiveParamKind, string> = {
  destination: 'a destination',
  'own-destination': 'a destination',
  key: 'a KMS key',
  principal: 'a principal',
  policy: 'a policy',
};

/** Why a finding may not set `key`, or undefined when it may. */
function whyNotOverridable(meta: OverrideMeta, key: string, pinned: Record<string, unknown>): string | undefined {
  const where = `bots.params.${meta.name}.${key} in cloudmend.yaml`;
  const kind = meta.sensitiveParams?.[key];
  if (kind)
    return `${meta.name}: a finding may not set ${key}: it names ${SENSITIVE_LABEL[kind]}, which only the config may set (${where})`;
  if (Object.hasOwn(pinned, key)) return `${meta.name}: a finding may not set ${key}: it is pinned by ${where}`;
  if (!meta.overridable?.includes(key)) {
    const allowed = meta.overridable?.length ? `only ${meta.overridable.join(', ')}` : 'none of its params';
    return `${meta.name}: a finding may not set ${key}: the bot lets findings set ${allowed}; set it in the config instead (${where})`;
  }
  return undefined;
}

/**
 * The params a bot runs with when its arguments come from `origin`. Arguments
 * the operator wrote are trusted like `bots.params`. A finding's arguments are
 * someone else's text: they may set only the params the bot declares
 * overridable and the config does not pin; anything else refuses the run,
 * naming the param and why, rather than running with a value nobody chose.
 */
export function resolveRequestedParams(
  meta: OverrideMeta,
  args: readonly string[],
  pinned: Record<string, unknown>,
  origin: ArgsOrigin,
): ParamsResult {
  if (origin === 'finding') {
    const fromArgs = argsToParams(meta, args);
    if (!fromArgs.ok) return fromArgs;
    for (const key of Object.keys(fromArgs.params)) {
      const refusal = whyNotOverridable(meta, key, pinned);
      if (refusal) return { ok: false, error: refusal };
    }
  }
  return resolveParams(meta, args, pinned);
}
