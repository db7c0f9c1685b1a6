/**
 * Remediation outcomes as CloudWatch metrics, written in embedded metric
 * format (EMF): one JSON object per line on stdout, which CloudWatch Logs turns
 * into the metric, so the handler needs no cloudwatch:PutMetricData and no
 * extra call. Specification:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * - `Remediations` by (service, bot, status): what each bot did, for the dashboard;
 * - `RemediationFailures` by service alone: one series the failure alarm watches
 *   (an alarm cannot sum over a dimension it does not name);
 * - `RateLimited` by (service, limit): handler/state/alerts.ts.
 *
 * Written here, not by Powertools Metrics, as handler/log.ts is not Powertools
 * Logger: measured, its singleMetric addDimensions + addMetric cost 7.5 µs per
 * line in a hot loop and ~40 µs per event in the e2e benchmark, against
 * ~1.3 µs / ~10 µs for JSON.stringify of the same line; it was the largest part
 * of the handler's work after a bot's last response, and needed a lazy loader
 * the handler awaited. The lines are the ones Powertools wrote (same keys, same
 * order), so the stacks' alarm and dashboard match them unchanged.
 *
 * Emitted only inside Lambda unless a Metrics is given: `cloudmend invoke` and
 * `redrive` run the same code and print tables, not EMF lines.
 */
import type { BotStatus } from '../bots/types';
import { HANDLER_METRICS } from '../config/runtime';
import type { RemediationResult } from './types';

const { namespace: METRICS_NAMESPACE, remediations: REMEDIATIONS_METRIC, failures: FAILURES_METRIC } = HANDLER_METRICS;
/** The bot dimension of a result no bot produced (an event rejected before planning). */
export const NO_BOT = 'none';

/**
 * Dimension name -> value, in the order they are written. EMF needs string
 * values and at most 30 keys per set; ours are at most three fixed names with
 * string values (bot names, statuses, limit kinds), so the type is the check.
 */
export type Dimensions = Readonly<Record<string, string>>;

/**
 * One EMF document, as one line (no newline): `_aws` first, then the
 * dimensions, then the value, as Powertools wrote them. Every metric here is a
 * count of something that happened, so the unit is always `Count` and the value
 * a positive integer.
 */
export function emfLine(namespace: string, dimensions: Dimensions, metric: string, value: number, timestamp: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: metric, Unit: 'Count' }] }],
    },
    ...dimensions,
    [metric]: value,
  });
}

export interface Metrics {
  /** Writes one line now: `name` = `count`, by the service and these dimensions. */
  emit(dimensions: Dimensions, name: string, count: number): void;
}

export interface MetricsOptions {
  /** Where each line goes; default: stdout, a line each, as handler/log.ts. */
  write?: (line: string) => void;
  /** The lines' Timestamp, ms since the epoch; default: Date.now. */
  now?: () => number;
}

/** The handler's metrics in namespace `cloudmend`, every line with the `service` dimension (read from the environment once). */
export function createMetrics(
  serviceName: string = process.env[HANDLER_METRICS.serviceEnv] || HANDLER_METRICS.defaultService,
  options: MetricsOptions = {},
): Metrics {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  return {
    emit: (dimensions, name, count) => write(emfLine(METRICS_NAMESPACE, { service: serviceName, ...dimensions }, name, count, now())),
  };
}

let inLambda: Metrics | undefined;
/** The handler's metrics inside Lambda, made once; none elsewhere (`cloudmend invoke` and `redrive` print tables on stdout). */
export function lambdaMetrics(): Metrics | undefined {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  inLambda ??= createMetrics();
  return inLambda;
}

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

/** Writes the EMF lines for these results now: one per (bot, status), and the failure total when something failed. */
export function recordResultMetrics(results: readonly RemediationResult[], metrics: Metrics | undefined = lambdaMetrics()): void {
  if (!metrics || results.length === 0) return;
  for (const { bot, status, count } of countResults(results)) metrics.emit({ bot, status }, REMEDIATIONS_METRIC, count);
  const failed = results.filter((r) => r.status === 'failed').length;
  if (failed > 0) metrics.emit({}, FAILURES_METRIC, failed);
}
