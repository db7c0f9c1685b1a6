/**
 * The lazy front of handler/metrics.ts: Powertools Metrics costs tens of ms to
 * load, so it loads on the first results, not at init (like an SDK client).
 * Results recorded while it loads are written once it has; the handler awaits
 * `flushMetrics()` before it returns, so no line waits for a frozen container.
 * Outside Lambda nothing is written (`cloudmend invoke` and `redrive` print tables).
 */
import type { RemediationResult } from './types';

type MetricsModule = typeof import('./metrics');

let loaded: MetricsModule | undefined;
let pending: Promise<void> = Promise.resolve();

export function recordResultMetrics(results: readonly RemediationResult[]): void {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME || results.length === 0) return;
  if (loaded) {
    loaded.recordResultMetrics(results);
    return;
  }
  const copy = [...results];
  pending = pending
    .then(async () => {
      loaded ??= await import('./metrics');
      loaded.recordResultMetrics(copy);
    })
    // Metrics never fail a remediation: its log line and published result still say what happened.
    .catch((error: unknown) => {
      process.stderr.write(`cloudmend: could not write metrics: ${String(error)}\n`);
    });
}

/** Resolves once the metrics of every result recorded so far are written. */
export function flushMetrics(): Promise<void> {
  return pending;
}
