/**
 * What every result carries to be matched with its finding elsewhere: a stable
 * result id (for notes and undo) and, for CloudGuard findings, CloudGuard's own
 * ids. Called by handler/report.ts when it builds a result.
 */
import type { FindingSource } from '../../bots/types';
import { type CloudGuardIds, cloudGuardIdsOf } from './cloudguard';
import { resultIdOf } from './result-id';

export interface ResultIdentity {
  resultId: string;
  cloudGuard?: CloudGuardIds;
}

export function identityOf(source: FindingSource | 'unknown', findingId: string, bot: string | undefined, raw: unknown): ResultIdentity {
  const cloudGuard = source === 'cloudguard' ? cloudGuardIdsOf(raw) : undefined;
  return { resultId: resultIdOf({ source, findingId, bot, raw }), ...(cloudGuard ? { cloudGuard } : {}) };
}
