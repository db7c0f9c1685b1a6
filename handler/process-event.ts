/**
 * One invocation, end to end: parse -> plan -> look up the resource's tags
 * where the finding has none -> screen by them -> credentials -> run -> report.
 * Shared by the Lambda entry and `cloudmend invoke`, which differ only in the
 * dependencies they pass in.
 */
import type { RuntimeConfig } from '../config/runtime';
import { reportBack, type FeedbackClients } from './feedback';
import type { Logger } from './log';
import { planRemediation, screenByLookedUpTags, type Plan, type PlannedRun, type Registry } from './plan';
import { mapConcurrently } from './pool';
import type { Rejection } from './rejection';
import { logResults, resultOfRejection, resultOfRun, type RemediationResult } from './report';
import { lookUpResourceTags } from './resource-tags';
import { runAll, type RunDeps, type RunOutcome } from './run';
import { parseEvent } from './sources';
import { isPublished } from './state';
import type { SourcedFinding } from './sources/types';

export interface ProcessDeps extends Omit<RunDeps, 'dryRun'> {
  config: RuntimeConfig;
  registry: Registry;
  dryRun: boolean;
  /** The handler's region: for findings that name none. */
  defaultRegion: string;
  log: Logger;
  /** Publishes the results (output topic); absent: log only. Throws to fail the invocation. */
  publish?: (results: RemediationResult[]) => Promise<void>;
  /** Write-back to the findings' sources and chat (handler/feedback); absent: none. */
  feedback?: FeedbackClients;
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
  const plans: (Plan & { finding: SourcedFinding })[] = [];
  for (const finding of parsed.findings) {
    const plan = planRemediation(finding, deps.config, deps.registry);
    rejections.push(...plan.rejections);
    if (plan.runs.length > 0) plans.push({ ...plan, finding });
  }
  // Before any bot runs: a finding without the resource's tags has them looked up once, and its runs screened by them.
  const screenedPlans = await mapConcurrently(plans, deps.concurrency ?? 4, async (plan) =>
    screenByLookedUpTags(plan.runs, await lookUpResourceTags(plan.finding, deps), deps.config),
  );
  const runs: PlannedRun[] = [];
  const unrun: RunOutcome[] = [];
  screenedPlans.forEach((screened) => {
    runs.push(...screened.runs);
    rejections.push(...screened.rejections);
    unrun.push(...screened.failures);
  });
  const outcomes = runs.length > 0 ? await runAll(runs, { ...deps, dryRun: deps.dryRun }) : [];
  const results = [
    ...rejections.map((r) => resultOfRejection(r, deps.dryRun)),
    ...unrun.map((o) => resultOfRun(o, deps.dryRun)),
    ...outcomes.map((o) => resultOfRun(o, deps.dryRun)),
  ];
  await reportBack(results, parsed.findings, deps);
  logResults(results, deps.log);
  // A duplicate delivery's result is logged, not published: the first delivery reported it (handler/state).
  if (deps.publish) await deps.publish(results.filter(isPublished));
  await deps.state?.reported(results);
  return { results, runs, retryable: results.filter((r) => r.retryable) };
}
