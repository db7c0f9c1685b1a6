import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createLogger } from '../../handler/log';
import { flushMetrics } from '../../handler/result-metrics';
import { countResults, createMetrics, recordResultMetrics } from '../../handler/metrics';
import { logResults, type RemediationResult } from '../../handler/report';
import { type EmfLine, emfLinesOf } from '../support/emf';

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

  describe('where results are logged', () => {
    const previous = process.env.AWS_LAMBDA_FUNCTION_NAME;
    afterEach(() => {
      if (previous === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = previous;
    });
    const log = createLogger({ write: () => {} });

    /** EMF lines written while `fn` runs and until the metrics are flushed, as the handler waits for them. */
    async function emfLinesFlushed(fn: () => void): Promise<any[]> {
      const lines: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      });
      try {
        fn();
        await flushMetrics();
      } finally {
        spy.mockRestore();
      }
      return lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    }

    it('emits inside Lambda once Powertools has loaded, which the handler awaits before it returns', async () => {
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'cloudmend-handler-us-east-1';
      expect(await emfLinesFlushed(() => logResults([result('a', 'failed')], log))).toHaveLength(2);
      // Loaded now: the next results are written at once.
      expect(emfLines(() => logResults([result('b', 'remediated')], log))).toHaveLength(1);
    });

    it('stays silent outside Lambda (cloudmend invoke and redrive print tables on stdout)', async () => {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      expect(await emfLinesFlushed(() => logResults([result('a', 'failed')], log))).toEqual([]);
    });

    it('does not load Powertools when the handler module loads (cold start)', () => {
      const root = join(__dirname, '../..');
      const script = `
        require('./handler/index.ts');
        const loaded = Object.keys(require.cache).filter((f) => f.includes('@aws-lambda-powertools'));
        process.stdout.write(JSON.stringify(loaded));`;
      const out = execFileSync(join(root, 'node_modules/.bin/tsx'), ['-e', script], { cwd: root, encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual([]);
    });
  });
});
