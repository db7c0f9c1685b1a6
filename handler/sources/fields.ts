/**
 * Safe readers for untrusted JSON: real events carry extra, missing and null
 * fields, so adapters read through these and never throw on a wrong shape.
 */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** A non-empty trimmed string, or undefined. Numbers are accepted (account ids arrive as numbers in some tools). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `[{key, value}]` / `[{Key, Value}]` lists or a plain map -> a tag map. */
export function tagsOf(value: unknown): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const t = obj(item);
      const key = str(t.key ?? t.Key);
      if (key !== undefined) tags[key] = typeof (t.value ?? t.Value) === 'string' ? String(t.value ?? t.Value) : '';
    }
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) if (typeof v === 'string') tags[key] = v;
  } else {
    return undefined;
  }
  return tags;
}

/**
 * A 12-digit account id, or undefined. A JSON number is padded back to 12
 * digits (a number loses leading zeros); a string must already be 12 digits.
 */
export function accountId(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 && value < 1e12 ? String(value).padStart(12, '0') : undefined;
  }
  const text = str(value);
  return text !== undefined && /^\d{12}$/.test(text) ? text : undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Region spellings seen in findings: `us-east-1`, `us_east_1` (CloudGuard),
 * upper case; empty or `null` means none.
 */
export function region(value: unknown): string | undefined {
  const text = str(value)?.toLowerCase().replace(/_/g, '-');
  if (text === undefined || text === 'null' || text === 'global') return undefined;
  return REGION.test(text) ? text : undefined;
}

/** The object at `path` inside `value`, or `{}`: the source's own description of something, kept as it came. */
export function objAt(value: unknown, ...path: string[]): Json {
  return path.reduce<Json>((current, key) => obj(current[key]), obj(value));
}
