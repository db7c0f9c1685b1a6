/**
 * Remediation outcomes as CloudWatch metrics, written in embedded metric
 * format (EMF) by Powertools: CloudWatch Logs turns the log line into the
 * metric, so the handler needs no cloudwatch:PutMetricData and no extra call.
 *
 * - `Remediations` by (service, bot, status): what each bot did, for the dashboard;
 * - `RemediationFailures` by service alone: one series the failure alarm watches
 *   (an alarm cannot sum over a dimension it does not name).
 *
 * Emitted only inside Lambda: `cloudmend invoke` and `redrive` run the same
 * code and print tables, not EMF lines.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BotStatus } from '../bots/types';
import { HANDLER_METRICS } from '../config/runtime';
import type { RemediationResult } from './types';

const { namespace: METRICS_NAMESPACE, remediations: REMEDIATIONS_METRIC, failures: FAILURES_METRIC } = HANDLER_METRICS;
/** The bot dimension of a result no bot produced (an event rejected before planning). */
export const NO_BOT = 'none';

export interface ResultCount {
  bot: string;
  status: BotStatus;
  count: number;
}

/** Results counted per (bot, status), sorted, so one invocation writes one line per pair, not per result. */
export function countResults(results: readonly Pick<RemediationResult, 'bot' | 'status'>[]): ResultCount[] {
  const counts = new Map<string, ResultCount>();
  for (const { bot = NO_BOT, status } of results) {
    const key = `${bot}\u0000${status}`;
    const entry = counts.get(key) ?? { bot, status, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.bot.localeCompare(b.bot) || a.status.localeCompare(b.status));
}

export function createMetrics(serviceName = process.env[HANDLER_METRICS.serviceEnv] || HANDLER_METRICS.defaultService): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}

let inLambda: Metrics | undefined;
function lambdaMetrics(): Metrics | undefined {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  inLambda ??= createMetrics();
  return inLambda;
}

/**
 * One single-metric emitter per Metrics, made once: making one reads its
 * settings from the environment again, a cost per event for nothing. It writes
 * its line on addMetric and then clears the metric and the added dimensions
 * (the default ones stay), so each line carries only its own.
 */
const emitters = new WeakMap<Metrics, Metrics>();
function emitterOf(metrics: Metrics): Metrics {
  let single = emitters.get(metrics);
  if (!single) {
    single = metrics.singleMetric();
    emitters.set(metrics, single);
  }
  return single;
}

/** Writes the EMF lines for these results now (single metrics flush as they are added). */
export function recordResultMetrics(results: readonly RemediationResult[], metrics: Metrics | undefined = lambdaMetrics()): void {
  if (!metrics || results.length === 0) return;
  const single = emitterOf(metrics);
  for (const { bot, status, count } of countResults(results)) {
    single.addDimensions({ bot, status });
    single.addMetric(REMEDIATIONS_METRIC, MetricUnit.Count, count);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  if (failed > 0) single.addMetric(FAILURES_METRIC, MetricUnit.Count, failed);
}
