/**
 * Security Hub emits "Security Hub Findings - Imported" for a finding again
 * after every BatchUpdateFindings, ours included. That delivery is an echo of
 * our own update, not news: our note is at least as new as the finding's last
 * update by its product (BatchUpdateFindings does not change UpdatedAt; a
 * product's re-evaluation does). Acting on it again would loop: a note, its
 * echo, a run, a note. Pure, so the source adapter can screen echoes out
 * before any bot runs.
 */
export const UPDATED_BY = 'cloudmend';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function isOwnEcho(asff: unknown): boolean {
  const f = obj(asff);
  const note = obj(f.Note);
  if (str(note.UpdatedBy) !== UPDATED_BY) return false;
  const noted = Date.parse(str(note.UpdatedAt) ?? '');
  const updated = Date.parse(str(f.UpdatedAt) ?? '');
  return Number.isFinite(noted) && (!Number.isFinite(updated) || noted >= updated);
}
