import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createLogger } from '../../handler/log';
import { countResults, createMetrics, emfLine, recordResultMetrics } from '../../handler/metrics';
import { logResults, type RemediationResult } from '../../handler/report';
import { emitRateLimitedMetric } from '../../handler/state/alerts';
import { type EmfLine, emfLinesOf, emfViolations } from '../support/emf';

const result = (bot: string | undefined, status: RemediationResult['status']): RemediationResult => ({
  findingId: 'f',
  source: 'securityhub',
  ...(bot ? { bot } : {}),
  status,
  message: '',
  changes: [],
  durationMs: 1,
  retryable: false,
  dryRun: false,
});

/** EMF lines written to stdout while `fn` runs. */
function emfLines(fn: () => void): EmfLine[] {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return written.flatMap((chunk) => emfLinesOf(chunk));
}

describe('remediation metrics', () => {
  it('counts results per bot and status, a rejection without a bot under "none"', () => {
    expect(countResults([result('b', 'failed'), result('a', 'remediated'), result('b', 'failed'), result(undefined, 'skipped')])).toEqual([
      { bot: 'a', status: 'remediated', count: 1 },
      { bot: 'b', status: 'failed', count: 2 },
      { bot: 'none', status: 'skipped', count: 1 },
    ]);
  });

  it('writes one EMF line per (bot, status) and the failure total under the service alone, for the alarm', () => {
    const metrics = createMetrics('acme-cloudmend');
    const lines = emfLines(() =>
      recordResultMetrics(
        [result('s3_enable_versioning', 'remediated'), result('ec2_stop_instance', 'failed'), result('ec2_stop_instance', 'failed')],
        metrics,
      ),
    );
    expect(
      lines.map((l) => [
        l._aws.CloudWatchMetrics[0].Namespace,
        l._aws.CloudWatchMetrics[0].Dimensions,
        l._aws.CloudWatchMetrics[0].Metrics,
      ]),
    ).toEqual([
      ['cloudmend', [['service', 'bot', 'status']], [{ Name: 'Remediations', Unit: 'Count' }]],
      ['cloudmend', [['service', 'bot', 'status']], [{ Name: 'Remediations', Unit: 'Count' }]],
      ['cloudmend', [['service']], [{ Name: 'RemediationFailures', Unit: 'Count' }]],
    ]);
    expect(lines.map(({ _aws, ...values }) => values)).toEqual([
      { service: 'acme-cloudmend', bot: 'ec2_stop_instance', status: 'failed', Remediations: 2 },
      { service: 'acme-cloudmend', bot: 's3_enable_versioning', status: 'remediated', Remediations: 1 },
      { service: 'acme-cloudmend', RemediationFailures: 2 },
    ]);
  });

  it('writes no failure line when nothing failed, and nothing for no results', () => {
    const metrics = createMetrics();
    expect(emfLines(() => recordResultMetrics([result('a', 'remediated')], metrics)).map((l) => Object.keys(l))).toEqual([
      ['_aws', 'service', 'bot', 'status', 'Remediations'],
    ]);
    expect(emfLines(() => recordResultMetrics([], metrics))).toEqual([]);
  });

  it('stamps each line with the clock it is given, and writes through the writer it is given', () => {
    const written: string[] = [];
    const metrics = createMetrics('acme-cloudmend', { write: (line) => written.push(line), now: () => 1_764_502_800_000 });
    recordResultMetrics([result('a', 'failed')], metrics);
    expect(written.map((line) => JSON.parse(line)._aws.Timestamp)).toEqual([1_764_502_800_000, 1_764_502_800_000]);
    expect(written.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('writes only valid EMF documents (every metric has a numeric member, every dimension a string one)', () => {
    const written: string[] = [];
    const metrics = createMetrics('acme-cloudmend', { write: (line) => written.push(line) });
    recordResultMetrics([result('s3_enable_versioning', 'remediated'), result('b', 'failed'), result(undefined, 'skipped')], metrics);
    for (const kind of ['account-limit', 'bot-limit', 'bot-paused'] as const) emitRateLimitedMetric(kind, metrics);
    expect(written).toHaveLength(7);
    expect(written.map((line) => [line, emfViolations(line)])).toEqual(written.map((line) => [line, []]));
    // The checker itself catches what would break a line.
    const line = (dimensions: Record<string, unknown>, value: unknown) =>
      emfLine('cloudmend', dimensions as Record<string, string>, 'Remediations', value as number, 1);
    expect(emfViolations(line({ service: 's', bot: undefined }, 1))).toEqual([
      'dimension bot has no string member of 1 to 1024 characters',
    ]);
    expect(emfViolations(line({ service: 's', bot: 3 }, 1))).toEqual(['dimension bot has no string member of 1 to 1024 characters']);
    expect(emfViolations(line({ service: 's' }, Number.NaN))).toEqual([
      'metric Remediations has no numeric member (a number or up to 100 numbers)',
    ]);
    expect(emfViolations(line({ service: 's' }, '2'))).toEqual([
      'metric Remediations has no numeric member (a number or up to 100 numbers)',
    ]);
  });

  it('writes the RateLimited line by service and limit, in the handler namespace', () => {
    const written: string[] = [];
    emitRateLimitedMetric('bot-paused', createMetrics('acme-cloudmend', { write: (line) => written.push(line), now: () => 5 }));
    expect(written.map((line) => JSON.parse(line))).toEqual([
      {
        _aws: {
          Timestamp: 5,
          CloudWatchMetrics: [
            { Namespace: 'cloudmend', Dimensions: [['service', 'limit']], Metrics: [{ Name: 'RateLimited', Unit: 'Count' }] },
          ],
        },
        service: 'acme-cloudmend',
        limit: 'bot-paused',
        RateLimited: 1,
      },
    ]);
    expect(Object.keys(JSON.parse(written[0]!))).toEqual(['_aws', 'service', 'limit', 'RateLimited']);
  });

  describe('where results are logged', () => {
    const previous = process.env.AWS_LAMBDA_FUNCTION_NAME;
    afterEach(() => {
      if (previous === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = previous;
    });
    const log = createLogger({ write: () => {} });

    it('emits inside Lambda as the results are logged, with nothing left for the handler to wait for', () => {
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'cloudmend-handler-us-east-1';
      expect(emfLines(() => logResults([result('a', 'failed')], log))).toHaveLength(2);
      expect(emfLines(() => emitRateLimitedMetric('account-limit')).map((l) => l.limit)).toEqual(['account-limit']);
    });

    it('stays silent outside Lambda (cloudmend invoke and redrive print tables on stdout)', () => {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      expect(emfLines(() => logResults([result('a', 'failed')], log))).toEqual([]);
      expect(emfLines(() => emitRateLimitedMetric('account-limit'))).toEqual([]);
    });

    it('loads no Powertools Metrics, neither with the handler module nor when it writes metrics', () => {
      const root = join(__dirname, '../..');
      const script = `
        process.env.AWS_LAMBDA_FUNCTION_NAME = 'cloudmend-handler-us-east-1';
        require('./handler/index.ts');
        const write = process.stdout.write.bind(process.stdout);
        let lines = 0;
        process.stdout.write = (chunk) => { lines += String(chunk).includes('"_aws"') ? 1 : 0; return true; };
        const result = { findingId: 'f', source: 'config', bot: 'b', status: 'failed', message: '', changes: [], durationMs: 1, retryable: false, dryRun: false };
        require('./handler/report.ts').logResults([result], { info() {}, warn() {} });
        require('./handler/state/alerts.ts').emitRateLimitedMetric('bot-limit');
        const loaded = Object.keys(require.cache).filter((f) => f.includes('@aws-lambda-powertools/metrics'));
        write(JSON.stringify({ lines, loaded }));`;
      const out = execFileSync(join(root, 'node_modules/.bin/tsx'), ['-e', script], { cwd: root, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({ lines: 3, loaded: [] });
    });
  });
});
