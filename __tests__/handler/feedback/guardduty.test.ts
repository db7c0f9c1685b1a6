/**
 * GuardDuty archive (report.guardDuty.archive), specified by the exact
 * ListDetectors and ArchiveFindings calls. moto 5.2.1 serves ListDetectors but
 * not ArchiveFindings; the integration test covers what it serves.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { ArchiveFindingsCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { archiveFindings, FINDINGS_PER_CALL } from '../../../handler/feedback/guardduty';
import { guardDutyEvent, liveTags, REGION, REPORT_ALL, remediated, run, scriptedBot } from './support';

const guardDuty = mockClient(GuardDutyClient);
afterAll(() => guardDuty.restore());
beforeEach(() => {
  guardDuty.reset();
  guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['admin-detector-1'] });
  guardDuty.on(ArchiveFindingsCommand).resolves({});
});

/** A new client per test: the detector id is remembered per client. */
const feedback = () => {
  const client = new GuardDutyClient({ region: REGION });
  return { region: REGION, guardDuty: async () => client };
};
const archiveDeps = () => {
  const client = new GuardDutyClient({ region: REGION });
  return { region: REGION, client: async () => client };
};
const REPORT = { ...REPORT_ALL, securityHub: 'off' as const, chat: { enabled: false, topic: 'own' as const } };
const MAPPING = { guardduty: { 'Policy:S3/BucketBlockPublicAccessDisabled': ['block_public'] } };
/** detail.id of the fixture: one GuardDuty finding naming two buckets (logs-a, logs-b). */
const GD_ID = '9ac9a1b2c3d4e5f60718293a4b5c6d70';
const archives = () => guardDuty.commandCalls(ArchiveFindingsCommand).map((c) => c.args[0].input);

describe('GuardDuty archive', () => {
  it('archives the finding once the bots fixed every resource it names, with the administrator’s own detector', async () => {
    const outcome = await run(guardDutyEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: MAPPING,
      report: REPORT,
      feedback: feedback(),
    });
    expect(outcome.results.map((r) => [r.findingId, r.status])).toEqual([
      [`${GD_ID}/logs-a`, 'remediated'],
      [`${GD_ID}/logs-b`, 'remediated'],
    ]);
    expect(guardDuty.commandCalls(ListDetectorsCommand).map((c) => c.args[0].input)).toEqual([{}]);
    // One call for the one GuardDuty finding, however many of its resources were fixed; not the member's detector in the event.
    expect(archives()).toEqual([{ DetectorId: 'admin-detector-1', FindingIds: [GD_ID] }]);
    for (const r of outcome.results) {
      expect(r.writeBacks).toEqual([{ to: 'guardduty', status: 'written', detail: 'archived with detector admin-detector-1' }]);
    }
  });

  it('keeps it active while any of its resources is not done, and says which', async () => {
    const event = guardDutyEvent();
    // logs-b carries the exclusion tag: skipped, so the finding must stay visible.
    liveTags('logs-b', { 'cloudmend:exclude': 'true' });
    const outcome = await run(event, {
      bots: [scriptedBot('block_public', remediated())],
      mappings: MAPPING,
      report: REPORT,
      feedback: feedback(),
    });
    expect(archives()).toEqual([]);
    expect(outcome.results.find((r) => r.status === 'remediated')!.writeBacks).toEqual([
      { to: 'guardduty', status: 'skipped', detail: expect.stringMatching(/^not archived: not everything is done \(.*logs-b skipped\)$/) },
    ]);
  });

  it('keeps it active after a failure, in dry run, and when report.guardDuty.archive is off', async () => {
    await run(guardDutyEvent(), {
      bots: [scriptedBot('block_public', new Error('boom'))],
      mappings: MAPPING,
      report: REPORT,
      feedback: feedback(),
    });
    const dry = await run(guardDutyEvent(), {
      bots: [scriptedBot('block_public', { status: 'dry-run', message: 'would block', changes: [] })],
      mappings: MAPPING,
      report: REPORT,
      feedback: feedback(),
      dryRun: true,
    });
    await run(guardDutyEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: MAPPING,
      report: { ...REPORT, guardDuty: { archive: false } },
      feedback: feedback(),
    });
    expect(archives()).toEqual([]);
    expect(dry.results[0]!.writeBacks).toEqual([
      { to: 'guardduty', status: 'skipped', detail: `not archived: dry run (would archive GuardDuty finding ${GD_ID})` },
    ]);
  });

  it('a failed archive is reported on the results, and the remediation stands', async () => {
    guardDuty.on(ArchiveFindingsCommand).rejects(Object.assign(new Error('not the administrator'), { name: 'BadRequestException' }));
    const outcome = await run(guardDutyEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: MAPPING,
      report: REPORT,
      feedback: feedback(),
    });
    expect(outcome.results.map((r) => r.status)).toEqual(['remediated', 'remediated']);
    expect(outcome.retryable).toEqual([]);
    expect(outcome.results[0]!.writeBacks).toEqual([
      { to: 'guardduty', status: 'failed', detail: 'ArchiveFindings failed: BadRequestException: not the administrator' },
    ]);
  });

  it('without a detector in the region (not the GuardDuty administrator here) nothing is archived and the results say why', async () => {
    guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const outcomes = await archiveFindings(['a', 'b'], archiveDeps());
    expect(archives()).toEqual([]);
    expect(outcomes.get('a')).toEqual({
      to: 'guardduty',
      status: 'failed',
      detail: `not archived: no GuardDuty detector in ${REGION} in this account (is it the GuardDuty administrator?)`,
    });
  });

  it('sends at most 50 finding ids per call and looks the detector up once per client', async () => {
    const deps = archiveDeps();
    const ids = Array.from({ length: 120 }, (_, i) => `f-${i}`);
    const outcomes = await archiveFindings(ids, deps);
    await archiveFindings(['again'], deps);
    expect(archives().map((a) => a.FindingIds!.length)).toEqual([FINDINGS_PER_CALL, FINDINGS_PER_CALL, 20, 1]);
    expect(archives()[1]!.FindingIds![0]).toBe('f-50');
    expect(guardDuty.commandCalls(ListDetectorsCommand)).toHaveLength(1);
    expect([...outcomes.values()].every((o) => o.status === 'written')).toBe(true);
  });
});
