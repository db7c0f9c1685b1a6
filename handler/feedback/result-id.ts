/**
 * A stable id per (finding occurrence, bot): the same for every redelivery and
 * retry of one event, so a note written twice names one result and the undo
 * journal can key on it; different once the source reports the finding anew
 * (its own update time changes), so a regression a week later gets a new id.
 */
import { hash } from 'node:crypto';
import type { FindingSource } from '../../bots/types';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** When the source last reported this finding: ASFF UpdatedAt, GuardDuty updatedAt, CloudGuard reportTime, Config's record time. */
export function occurrenceOf(raw: unknown): string {
  const r = obj(raw);
  const detail = obj(r.detail);
  return (
    str(r.UpdatedAt) ??
    str(detail.updatedAt) ??
    str(r.reportTime) ??
    str(obj(detail.newEvaluationResult).resultRecordedTime) ??
    str(r.time) ??
    ''
  );
}

export interface ResultIdInput {
  source: FindingSource | 'unknown';
  findingId: string;
  bot?: string | undefined;
  /** The finding as its source sent it; the occurrence time is read from it. */
  raw?: unknown;
}

/** `r-` and 24 hex digits of sha256(source, finding id, bot, occurrence). */
export function resultIdOf(input: ResultIdInput): string {
  const key = [input.source, input.findingId, input.bot ?? '', occurrenceOf(input.raw)].join('\u0000');
  // One-shot crypto.hash: one native call per result instead of a Hash object and three (0.23 against 0.62 µs hot).
  return `r-${hash('sha256', key, 'hex').slice(0, 24)}`;
}
