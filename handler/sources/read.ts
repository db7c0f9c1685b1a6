/**
 * Reading untrusted payloads through zod. Two steps per adapter: a lenient
 * schema reads the payload (a wrong shape reads as absent, never throws), the
 * adapter picks its candidates (with fallbacks between fields), and a strict
 * schema decides whether what it needs is there. Issues of the strict schema
 * name the payload fields a person would look for, through a label per key.
 */
import { z } from 'zod';
import { accountId, arr, obj, region, str, tagsOf } from './fields';
import type { SourceOptions } from './types';

// `.optional()`: an absent key reads as undefined too (zod refuses undefined from a required key's transform).

/** Any value, read as it is (severity numbers, flags): the adapter interprets it. */
export const anything = z.unknown().optional();
/** A non-empty trimmed string (numbers accepted), else undefined. */
export const text = z.unknown().transform(str).optional();
/** A 12-digit account id, else undefined. */
export const account = z.unknown().transform(accountId).optional();
/** A region in any spelling findings use, normalised; else undefined. */
export const regionName = z.unknown().transform(region).optional();
/** A tag map from a list or a map; undefined when the source says nothing. */
export const tags = z.unknown().transform(tagsOf).optional();
/** A list, or empty. */
export const list = z
  .unknown()
  .transform(arr)
  .default(() => []);
/** Lower-cased text, for enumerations sources spell in any case. */
export const lowerText = z
  .unknown()
  .transform((v) => str(v)?.toLowerCase())
  .optional();

/**
 * An object read leniently: anything else reads as `{}`, and each field through
 * its own lenient reader. Fields the shape does not name are dropped, not copied:
 * the adapters keep the payload itself as `raw`, and copying a CloudGuard
 * entity's dozens of other keys cost a quarter of the adapter's time per event.
 */
export function lenient<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(obj, z.object(shape));
}

export type Checked<T> = { ok: true; value: T } | { ok: false; missing: string };

/**
 * The strict half: `candidate` against `schema`; on failure, the labels of the
 * failing keys in the schema's order, e.g. `rule.name, account.id (12 digits)`.
 */
export function check<S extends z.ZodObject>(
  schema: S,
  candidate: Record<string, unknown>,
  labels: Record<keyof z.output<S> & string, string>,
): Checked<z.output<S>> {
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return { ok: true, value: parsed.data };
  const failing = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const missing = Object.keys(schema.shape)
    .filter((key) => failing.has(key))
    .map((key) => labels[key as keyof typeof labels] ?? key);
  // Two keys may share a label (a resource's type and id are one requirement).
  return { ok: false, missing: [...new Set(missing)].join(', ') };
}

/**
 * The finding's region, or the handler's own as the last resort, with a note
 * saying so (`what` names the message: "the finding", "the notification").
 */
export function regionOrDefault(found: string | undefined, options: SourceOptions, what: string): { region: string; notes: string[] } {
  if (found) return { region: found, notes: [] };
  return { region: options.defaultRegion, notes: [`${what} names no region; assumed the handler's region ${options.defaultRegion}`] };
}
