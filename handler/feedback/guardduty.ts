/**
 * GuardDuty write-back (opt-in, `report.guardDuty.archive`): archive a finding
 * once everything cloudmend did about it is done. Only a GuardDuty
 * administrator account may archive, and it does so with its own detector in
 * the region (found with ListDetectors): the detector id inside the finding is
 * the member's, which the administrator cannot name.
 *
 * A finding about several resources (S3 findings naming many buckets) is split
 * into one cloudmend finding per resource; it is archived only when all of them
 * are done, so a bucket that was skipped keeps the finding open.
 */
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { RemediationResult } from '../report';
import type { SourcedFinding } from '../sources/types';
import type { WriteBack } from './types';
import { sdk } from '../../bots/sdk';

/** API limit: 50 finding ids per ArchiveFindings call. */
export const FINDINGS_PER_CALL = 50;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export interface ArchivePlan {
  /** GuardDuty finding id -> the results that make it done. */
  archive: Map<string, RemediationResult[]>;
  /** Results of GuardDuty findings left active, with why. */
  keep: Array<{ results: RemediationResult[]; detail: string }>;
}

/** The GuardDuty finding id (detail.id of the event), which a split finding's own id only starts with. */
export function guardDutyIdOf(finding: SourcedFinding): string | undefined {
  return str(obj(obj(finding.raw).detail).id);
}

const DONE = new Set(['remediated', 'already-compliant']);

export function planArchive(results: readonly RemediationResult[], findings: readonly SourcedFinding[], dryRun: boolean): ArchivePlan {
  const plan: ArchivePlan = { archive: new Map(), keep: [] };
  const byGuardDutyId = new Map<string, RemediationResult[]>();
  for (const result of results) {
    if (result.source !== 'guardduty') continue;
    const finding = findings.find((f) => f.source === 'guardduty' && f.id === result.findingId);
    const id = finding ? guardDutyIdOf(finding) : undefined;
    if (!id) continue;
    byGuardDutyId.set(id, [...(byGuardDutyId.get(id) ?? []), result]);
  }
  for (const [id, mine] of byGuardDutyId) {
    const open = mine.filter((r) => !DONE.has(r.status));
    if (!mine.some((r) => r.bot)) continue;
    if (dryRun) {
      plan.keep.push({ results: mine, detail: `not archived: dry run (would archive GuardDuty finding ${id})` });
    } else if (open.length > 0) {
      const why = open.map((r) => `${r.bot ?? r.errorName ?? 'finding'} on ${r.resource?.id ?? r.findingId} ${r.status}`).join(', ');
      plan.keep.push({ results: mine, detail: `not archived: not everything is done (${why})` });
    } else {
      plan.archive.set(id, mine);
    }
  }
  return plan;
}

export interface ArchiveDeps {
  client: () => Promise<GuardDutyClient>;
  /** The handler's region: the administrator's detector there owns the findings delivered here. */
  region: string;
}

const detectors = new WeakMap<GuardDutyClient, Promise<string | undefined>>();

/** The administrator's detector in the region; one per account and region, so read once per client. */
async function detectorOf(guardDuty: GuardDutyClient): Promise<string | undefined> {
  let detector = detectors.get(guardDuty);
  if (!detector) {
    detector = sdk.guardDuty().then(async ({ ListDetectorsCommand }) => {
      const response = await guardDuty.send(new ListDetectorsCommand({}));
      return response.DetectorIds?.[0];
    });
    // A failed lookup is not remembered: the next invocation asks again.
    detector.catch(() => detectors.delete(guardDuty));
    detectors.set(guardDuty, detector);
  }
  return detector;
}

/** Archives the planned findings; never throws: returns what happened per GuardDuty finding id. */
export async function archiveFindings(ids: readonly string[], deps: ArchiveDeps): Promise<Map<string, WriteBack>> {
  const outcomes = new Map<string, WriteBack>();
  if (ids.length === 0) return outcomes;
  const failAll = (detail: string) => {
    for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, { to: 'guardduty', status: 'failed', detail });
  };
  try {
    const [{ ArchiveFindingsCommand }, guardDuty] = await Promise.all([sdk.guardDuty(), deps.client()]);
    const detectorId = await detectorOf(guardDuty);
    if (!detectorId) {
      failAll(`not archived: no GuardDuty detector in ${deps.region} in this account (is it the GuardDuty administrator?)`);
      return outcomes;
    }
    for (let i = 0; i < ids.length; i += FINDINGS_PER_CALL) {
      const batch = ids.slice(i, i + FINDINGS_PER_CALL);
      try {
        await guardDuty.send(new ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: batch }));
        for (const id of batch) outcomes.set(id, { to: 'guardduty', status: 'written', detail: `archived with detector ${detectorId}` });
      } catch (error) {
        const e = error as Error;
        for (const id of batch)
          outcomes.set(id, { to: 'guardduty', status: 'failed', detail: `ArchiveFindings failed: ${e.name}: ${e.message}` });
      }
    }
  } catch (error) {
    const e = error as Error;
    failAll(`not archived: ${e.name}: ${e.message}`);
  }
  return outcomes;
}
