/** An embedded-metric-format log line as Powertools Metrics writes it: metadata under `_aws`, values beside it. */
export interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: [{ Namespace: string; Dimensions: [string[], ...string[][]]; Metrics: { Name: string; Unit?: string }[] }];
  };
  [dimensionOrValue: string]: unknown;
}

/** The EMF lines among JSON log lines (anything with `_aws`). */
export function emfLinesOf(text: string): EmfLine[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Partial<EmfLine>)
    .filter((line): line is EmfLine => line._aws !== undefined);
}
