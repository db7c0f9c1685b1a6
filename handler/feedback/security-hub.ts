/**
 * Security Hub write-back: a note on the original finding (which bots ran, with
 * what outcome, changes and result ids) and, in `notes-and-workflow`, its
 * workflow status. Sent with the handler's own credentials: it runs in the
 * Security Hub delegated administrator (security) account, which may update
 * its members' findings.
 *
 * One update per finding, since a note is per finding and BatchUpdateFindings
 * applies one Note/Workflow to every identifier of a call; identical updates
 * (same note and status) share a call, up to 100 identifiers each.
 *
 * Every BatchUpdateFindings makes Security Hub emit "Security Hub Findings -
 * Imported" for the finding again; the source adapter screens out such echoes
 * of our own note (./echo.ts) before any bot runs, so notes cannot loop.
 */
import type { BatchUpdateFindingsCommandInput, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ReportConfig } from '../../config/runtime';
import type { RemediationResult } from '../report';
import type { SourcedFinding } from '../sources/types';
import { UPDATED_BY } from './echo';
import type { WriteBack } from './types';
import { sdk } from '../../bots/sdk';

/** API limits: Note.Text at most 512 characters; 100 finding identifiers per call. */
export const NOTE_MAX = 512;
export const IDENTIFIERS_PER_CALL = 100;

export type WorkflowStatus = 'NOTIFIED' | 'RESOLVED';

export interface FindingIdentifier {
  Id: string;
  ProductArn: string;
}

export interface SecurityHubUpdate {
  identifier: FindingIdentifier;
  note: string;
  workflow?: WorkflowStatus;
  results: RemediationResult[];
}

export interface SecurityHubPlan {
  updates: SecurityHubUpdate[];
  /** Results that cannot be written back, with why. */
  notUpdated: Array<{ results: RemediationResult[]; status: 'failed'; detail: string }>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Id and ProductArn of an ASFF finding, or the fields it lacks. */
export function identifierOf(asff: unknown): FindingIdentifier | { missing: string[] } {
  const f = obj(asff);
  const id = str(f.Id);
  const productArn = str(f.ProductArn);
  if (id && productArn) return { Id: id, ProductArn: productArn };
  return { missing: [id ? undefined : 'Id', productArn ? undefined : 'ProductArn'].filter((m): m is string => m !== undefined) };
}

/**
 * The workflow status the outcomes of one finding call for, or undefined to
 * leave it alone. RESOLVED only when every bot is done and at least one changed
 * something; all `already-compliant` leaves it to Security Hub, whose control
 * resolves the finding by itself on its next passing check (cloudmend changed
 * nothing it could vouch for, and a retried event must not reopen a finding an
 * earlier attempt resolved). Dry run never changes it.
 */
export function workflowFor(results: readonly RemediationResult[], dryRun: boolean): WorkflowStatus | undefined {
  if (dryRun || results.length === 0) return undefined;
  const statuses = results.map((r) => r.status);
  if (statuses.includes('failed')) return 'NOTIFIED';
  const done = statuses.every((s) => s === 'remediated' || s === 'already-compliant');
  if (done && statuses.includes('remediated')) return 'RESOLVED';
  // Some bots acted, others were skipped: a person has to finish it.
  if (statuses.includes('remediated') || statuses.includes('dry-run')) return 'NOTIFIED';
  return undefined;
}

/** Cuts to `max` characters (code points, so no emoji is split), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, Math.max(0, max)).join('');
  return `${chars.slice(0, max - 1).join('')}…`;
}

const length = (text: string) => Array.from(text).length;

function detailOf(result: RemediationResult): string {
  const changes = result.changes.map((c) => c.description || `${c.action} ${c.target}`);
  return [result.message, ...(changes.length > 0 ? [`changes: ${changes.join('; ')}`] : [])].join('; ');
}

/**
 * The note: per bot its name, outcome and result id, which are never cut, and
 * its message and changes, which share what is left of the 512 characters
 * fairly. When even the essentials do not fit (many bots), the tail names how
 * many more there are and where the whole story is.
 */
export function noteFor(results: readonly RemediationResult[], dryRun: boolean): string {
  const header = dryRun ? 'cloudmend (dry run, nothing changed):' : 'cloudmend:';
  const essentials = results.map((r) => `${r.bot ?? 'cloudmend'} ${r.status}${r.resultId ? ` [${r.resultId}]` : ''}`);
  const separator = ' | ';
  const fixed = length(header) + 1 + essentials.reduce((n, e) => n + length(e), 0) + separator.length * (results.length - 1);
  if (fixed > NOTE_MAX) {
    const kept: string[] = [];
    let used = length(header) + 1;
    const tail = (more: number) => ` | +${more} more in the results topic`;
    for (const [i, e] of essentials.entries()) {
      const more = essentials.length - i - 1;
      if (used + length(e) + separator.length + (more > 0 ? length(tail(more)) : 0) > NOTE_MAX) {
        return `${header} ${kept.join(separator)}${tail(essentials.length - kept.length)}`;
      }
      kept.push(e);
      used += length(e) + separator.length;
    }
  }
  // ": " before each detail.
  const budget = Math.floor((NOTE_MAX - fixed - 2 * results.length) / results.length);
  const parts = results.map((r, i) => {
    const detail = budget > 1 ? clip(detailOf(r), budget) : '';
    const essential = essentials[i] ?? '';
    return detail ? `${essential}: ${detail}` : essential;
  });
  return clip(`${header} ${parts.join(separator)}`, NOTE_MAX);
}

/**
 * Which updates to send for these results: those of Security Hub findings
 * with a bot (a rejection of the whole finding, such as a closed workflow, is
 * no outcome to report), grouped per finding.
 */
export function planSecurityHubUpdates(
  results: readonly RemediationResult[],
  findings: readonly SourcedFinding[],
  mode: ReportConfig['securityHub'],
  dryRun: boolean,
): SecurityHubPlan {
  const plan: SecurityHubPlan = { updates: [], notUpdated: [] };
  if (mode === 'off') return plan;
  const byFinding = new Map<string, RemediationResult[]>();
  for (const result of results) {
    if (result.source !== 'securityhub') continue;
    if (!result.bot) {
      // A finding the adapter could not read at all (no Id, say): there is nothing to update it by; say so on its result.
      if (
        result.errorName === 'malformed-event' &&
        !result.resource &&
        !findings.some((f) => f.source === 'securityhub' && f.id === result.findingId)
      ) {
        plan.notUpdated.push({
          results: [result],
          status: 'failed',
          detail: 'not updated: the finding could not be read, so there is no Id and ProductArn to update it by',
        });
      }
      continue;
    }
    byFinding.set(result.findingId, [...(byFinding.get(result.findingId) ?? []), result]);
  }
  for (const [findingId, mine] of byFinding) {
    const finding = findings.find((f) => f.source === 'securityhub' && f.id === findingId);
    const identifier = identifierOf(finding?.raw);
    if ('missing' in identifier) {
      plan.notUpdated.push({
        results: mine,
        status: 'failed',
        detail: `not updated: the finding has no ${identifier.missing.join(' or ')}, which BatchUpdateFindings needs to name it`,
      });
      continue;
    }
    const workflow = mode === 'notes-and-workflow' ? workflowFor(mine, dryRun) : undefined;
    plan.updates.push({ identifier, note: noteFor(mine, dryRun), ...(workflow ? { workflow } : {}), results: mine });
  }
  return plan;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The calls for these updates: identical updates share one, at most 100 identifiers each. */
export function batchUpdateInputs(
  updates: readonly SecurityHubUpdate[],
): Array<{ input: BatchUpdateFindingsCommandInput; updates: SecurityHubUpdate[] }> {
  const groups = new Map<string, { note: string; workflow: WorkflowStatus | undefined; updates: SecurityHubUpdate[] }>();
  for (const update of updates) {
    const key = JSON.stringify([update.note, update.workflow ?? null]);
    const group = groups.get(key) ?? { note: update.note, workflow: update.workflow, updates: [] };
    group.updates.push(update);
    groups.set(key, group);
  }
  return [...groups.values()].flatMap(({ note, workflow, updates: group }) =>
    chunks(group, IDENTIFIERS_PER_CALL).map((batch) => ({
      input: {
        FindingIdentifiers: batch.map((u) => u.identifier),
        Note: { Text: note, UpdatedBy: UPDATED_BY },
        ...(workflow ? { Workflow: { Status: workflow } } : {}),
      },
      updates: batch,
    })),
  );
}

const describeUpdate = (update: SecurityHubUpdate) => `note${update.workflow ? ` + workflow ${update.workflow}` : ''}`;

/**
 * Sends the updates; never throws. Throttling is retried by the client's SDK
 * retry strategy before an error gets here; what still fails is reported on
 * the results of the findings concerned.
 */
export async function sendSecurityHubUpdates(
  updates: readonly SecurityHubUpdate[],
  client: () => Promise<SecurityHubClient>,
): Promise<Map<SecurityHubUpdate, WriteBack>> {
  const outcomes = new Map<SecurityHubUpdate, WriteBack>();
  if (updates.length === 0) return outcomes;
  const calls = batchUpdateInputs(updates);
  try {
    const [{ BatchUpdateFindingsCommand }, securityHub] = await Promise.all([sdk.securityHub(), client()]);
    for (const call of calls) {
      try {
        const response = await securityHub.send(new BatchUpdateFindingsCommand(call.input));
        const failed = new Map(
          (response.UnprocessedFindings ?? []).map((u) => [
            `${u.FindingIdentifier?.ProductArn}|${u.FindingIdentifier?.Id}`,
            `${u.ErrorCode ?? 'error'}${u.ErrorMessage ? `: ${u.ErrorMessage}` : ''}`,
          ]),
        );
        for (const update of call.updates) {
          const error = failed.get(`${update.identifier.ProductArn}|${update.identifier.Id}`);
          outcomes.set(
            update,
            error
              ? { to: 'securityhub', status: 'failed', detail: `Security Hub did not update the finding (${error})` }
              : { to: 'securityhub', status: 'written', detail: describeUpdate(update) },
          );
        }
      } catch (error) {
        const e = error as Error;
        for (const update of call.updates) {
          outcomes.set(update, { to: 'securityhub', status: 'failed', detail: `BatchUpdateFindings failed: ${e.name}: ${e.message}` });
        }
      }
    }
  } catch (error) {
    const e = error as Error;
    for (const update of updates) {
      if (!outcomes.has(update))
        outcomes.set(update, { to: 'securityhub', status: 'failed', detail: `no Security Hub client: ${e.name}: ${e.message}` });
    }
  }
  return outcomes;
}
