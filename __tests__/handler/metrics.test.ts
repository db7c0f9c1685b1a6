import { createLogger } from '../../handler/log';
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

    it('emits inside Lambda', () => {
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'cloudmend-handler-us-east-1';
      expect(emfLines(() => logResults([result('a', 'failed')], log))).toHaveLength(2);
    });

    it('stays silent outside Lambda (cloudmend invoke and redrive print tables on stdout)', () => {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      expect(emfLines(() => logResults([result('a', 'failed')], log))).toEqual([]);
    });
  });
});
