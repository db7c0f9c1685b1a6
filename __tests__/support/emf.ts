/** An embedded-metric-format log line as handler/metrics.ts writes it (as Powertools Metrics did): metadata under `_aws`, values beside it. */
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

/** The units CloudWatch accepts (MetricDefinition.Unit in the specification). */
const UNITS = new Set(
  [
    'Seconds Microseconds Milliseconds Bytes Kilobytes Megabytes Gigabytes Terabytes Bits Kilobits Megabits Gigabits Terabits',
    'Percent Count Bytes/Second Kilobytes/Second Megabytes/Second Gigabytes/Second Terabytes/Second Bits/Second',
    'Kilobits/Second Megabits/Second Gigabits/Second Terabits/Second Count/Second None',
  ]
    .join(' ')
    .split(' '),
);

const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/**
 * What makes `line` (one log line's text) not an EMF document, per
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html;
 * empty when it is one. CloudWatch drops the metrics of a line that breaks these.
 */
export function emfViolations(line: string): string[] {
  const problems: string[] = [];
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(line);
  } catch {
    return ['not JSON'];
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return ['not a JSON object'];
  const aws = root._aws as Record<string, unknown> | undefined;
  if (typeof aws !== 'object' || aws === null) return ['no _aws object'];
  if (!Number.isInteger(aws.Timestamp) || (aws.Timestamp as number) < 0) problems.push('_aws.Timestamp is not ms since the epoch');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) return [...problems, '_aws.CloudWatchMetrics is not an array'];
  for (const [i, directive] of directives.entries()) {
    const at = `CloudWatchMetrics[${i}]`;
    if (typeof directive.Namespace !== 'string' || directive.Namespace.length === 0 || directive.Namespace.length > 1024)
      problems.push(`${at}.Namespace is not a string of 1 to 1024 characters`);
    if (!Array.isArray(directive.Dimensions)) problems.push(`${at}.Dimensions is not an array`);
    else
      for (const set of directive.Dimensions as unknown[]) {
        if (!Array.isArray(set) || set.some((key) => typeof key !== 'string')) {
          problems.push(`${at}: a dimension set is not an array of names`);
          continue;
        }
        if (set.length > 30) problems.push(`${at}: a dimension set has ${set.length} keys (at most 30)`);
        for (const key of set as string[]) {
          const value = root[key];
          if (typeof value !== 'string' || value.length === 0 || value.length > 1024)
            problems.push(`dimension ${key} has no string member of 1 to 1024 characters`);
        }
      }
    if (!Array.isArray(directive.Metrics) || directive.Metrics.length > 100) problems.push(`${at}.Metrics is not an array of at most 100`);
    else
      for (const metric of directive.Metrics as { Name?: unknown; Unit?: unknown }[]) {
        if (typeof metric.Name !== 'string' || metric.Name.length === 0 || metric.Name.length > 1024) {
          problems.push(`${at}: a metric has no name of 1 to 1024 characters`);
          continue;
        }
        if (metric.Unit !== undefined && !UNITS.has(String(metric.Unit)))
          problems.push(`metric ${metric.Name}: unit ${metric.Unit} unknown`);
        const value = root[metric.Name];
        const values = Array.isArray(value) ? value : [value];
        if (values.length === 0 || values.length > 100 || !values.every(isNumber))
          problems.push(`metric ${metric.Name} has no numeric member (a number or up to 100 numbers)`);
      }
  }
  return problems;
}
