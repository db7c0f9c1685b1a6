/**
 * One invocation, end to end: parse -> plan -> credentials -> run -> report.
 * Shared by the Lambda entry and `cloudmend invoke`, which differ only in the
 * dependencies they pass in.
 */
import type { RuntimeConfig } from '../config/runtime';
import type { Logger } from './log';
import { planRemediation, type PlannedRun, type Registry } from './plan';
import type { Rejection } from './rejection';
import { logResults, resultOfRejection, resultOfRun, type RemediationResult } from './report';
import { runAll, type RunDeps } from './run';
import { parseEvent } from './sources';

export interface ProcessDeps extends Omit<RunDeps, 'dryRun'> {
  config: RuntimeConfig;
  registry: Registry;
  dryRun: boolean;
  /** The handler's region: for findings that name none. */
  defaultRegion: string;
  log: Logger;
  /** Publishes the results (output topic); absent: log only. Throws to fail the invocation. */
  publish?: (results: RemediationResult[]) => Promise<void>;
}

export interface ProcessOutcome {
  results: RemediationResult[];
  runs: PlannedRun[];
  /** Results whose failure may pass on a retry. */
  retryable: RemediationResult[];
}

export async function processEvent(event: unknown, deps: ProcessDeps): Promise<ProcessOutcome> {
  const parsed = parseEvent(event, { defaultRegion: deps.defaultRegion });
  const rejections: Rejection[] = [...parsed.rejections];
  const runs: PlannedRun[] = [];
  for (const finding of parsed.findings) {
    const plan = planRemediation(finding, deps.config, deps.registry);
    runs.push(...plan.runs);
    rejections.push(...plan.rejections);
  }
  const outcomes = runs.length > 0 ? await runAll(runs, { ...deps, dryRun: deps.dryRun }) : [];
  const results = [
    ...rejections.map((r) => resultOfRejection(r, deps.dryRun)),
    ...outcomes.map((o) => resultOfRun(o, deps.dryRun)),
  ];
  logResults(results, deps.log);
  if (deps.publish) await deps.publish(results);
  return { results, runs, retryable: results.filter((r) => r.retryable) };
}
