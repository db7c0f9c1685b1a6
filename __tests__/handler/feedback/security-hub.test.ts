/**
 * Security Hub write-back, specified by the exact BatchUpdateFindings calls.
 * Mocked with aws-sdk-client-mock: moto 5.2.1 does not implement
 * BatchUpdateFindings (its Security Hub serves only hub, import/get findings
 * and organization calls), so there is no integration test of this call.
 * Throttling is tested below the mock, through the SDK's own retry strategy.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { RemediationResult } from '../../../handler/report';
import type { SourcedFinding } from '../../../handler/sources/types';
import {
  batchUpdateInputs,
  clip,
  IDENTIFIERS_PER_CALL,
  NOTE_MAX,
  noteFor,
  planSecurityHubUpdates,
  sendSecurityHubUpdates,
  type SecurityHubUpdate,
  workflowFor,
} from '../../../handler/feedback/security-hub';
import { isOwnEcho } from '../../../handler/feedback/echo';
import { blockChange, REGION, remediated, run, scriptedBot, securityHubEvent } from './support';

const securityHub = mockClient(SecurityHubClient);
afterAll(() => securityHub.restore());
beforeEach(() => {
  securityHub.reset();
  securityHub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
});

const client = async () => new SecurityHubClient({ region: REGION });
const feedback = { region: REGION, securityHub: client };
const S38 = { securityHub: { 'S3.8': ['block_public'] } };
const FINDING_ID =
  'arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.8/finding/e0182181-9218-420f-bef2-ed09ed230c59';
const PRODUCT_ARN = 'arn:aws:securityhub:us-east-1::product/aws/securityhub';
const calls = () => securityHub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input);

function result(status: RemediationResult['status'], overrides: Partial<RemediationResult> = {}): RemediationResult {
  return {
    resultId: 'r-000000000000000000000001',
    findingId: 'f-1',
    source: 'securityhub',
    bot: 'block_public',
    status,
    message: 'blocked public access on bucket example',
    changes: [],
    durationMs: 1,
    retryable: false,
    dryRun: false,
    ...overrides,
  };
}

describe('after a remediation, the original finding', () => {
  it('gets a note naming the bot, outcome, changes and result id, and workflow RESOLVED, from the handler region', async () => {
    const outcome = await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: S38,
      report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
      feedback,
    });
    const [r] = outcome.results;
    expect(r!.status).toBe('remediated');
    expect(calls()).toEqual([
      {
        FindingIdentifiers: [{ Id: FINDING_ID, ProductArn: PRODUCT_ARN }],
        Note: {
          Text: `cloudmend: block_public remediated [${r!.resultId}]: blocked public access on bucket example; changes: blocked public access on bucket example (all four settings)`,
          UpdatedBy: 'cloudmend',
        },
        Workflow: { Status: 'RESOLVED' },
      },
    ]);
    expect(await securityHub.call(0).thisValue.config.region()).toBe(REGION);
    expect(r!.writeBacks).toEqual([{ to: 'securityhub', status: 'written', detail: 'note + workflow RESOLVED' }]);
  });

  it('is set NOTIFIED after a failure, and the failure stays the result', async () => {
    const outcome = await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }))],
      mappings: S38,
      report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
      feedback,
    });
    expect(outcome.results[0]!.status).toBe('failed');
    expect(calls()[0]!.Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(calls()[0]!.Note!.Text).toMatch(/^cloudmend: block_public failed \[r-[0-9a-f]{24}\]: block_public failed: Access Denied$/);
  });

  it('keeps its workflow in dry run and in `notes` mode; the note says it was a dry run', async () => {
    await run(securityHubEvent(), {
      bots: [
        scriptedBot('block_public', {
          status: 'dry-run',
          message: 'would block public access',
          changes: [{ ...blockChange, applied: false }],
        }),
      ],
      mappings: S38,
      report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
      feedback,
      dryRun: true,
    });
    await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: S38,
      report: { securityHub: 'notes', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
      feedback,
    });
    const [dry, notesOnly] = calls();
    expect(dry).not.toHaveProperty('Workflow');
    expect(dry!.Note!.Text).toMatch(/^cloudmend \(dry run, nothing changed\): block_public dry-run \[r-/);
    expect(notesOnly).not.toHaveProperty('Workflow');
    expect(notesOnly!.Note!.Text).toMatch(/^cloudmend: block_public remediated/);
  });

  it('is not touched when report.securityHub is off, or when no write-back clients are given (cloudmend invoke)', async () => {
    await run(securityHubEvent(), {
      bots: [scriptedBot('block_public', remediated())],
      mappings: S38,
      report: { securityHub: 'off', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
      feedback,
    });
    const outcome = await run(securityHubEvent(), { bots: [scriptedBot('block_public', remediated())], mappings: S38 });
    expect(calls()).toEqual([]);
    expect(outcome.results[0]).not.toHaveProperty('writeBacks');
  });

  it('is not acted on again when Security Hub echoes our own note (no loop), but is after the product re-evaluates it', async () => {
    const report = {
      securityHub: 'notes-and-workflow' as const,
      guardDuty: { archive: false },
      chat: { enabled: false, topic: 'own' as const },
    };
    const ourNote = { Text: 'cloudmend: ...', UpdatedBy: 'cloudmend', UpdatedAt: '2022-02-21T09:50:00.000Z' };
    let runs = 0;
    const counting = scriptedBot('block_public', { status: 'already-compliant', message: 'already blocked', changes: [] });
    const bot = {
      ...counting,
      run: async (ctx: Parameters<typeof counting.run>[0]) => {
        runs++;
        return counting.run(ctx);
      },
    };
    const echo = await run(
      securityHubEvent(1, (f) => {
        f.Note = ourNote;
      }),
      { bots: [bot], mappings: S38, report, feedback },
    );
    expect(runs).toBe(0);
    expect(calls()).toEqual([]);
    expect(echo.results).toEqual([expect.objectContaining({ status: 'skipped', errorName: 'own-update-echo' })]);
    expect(echo.results[0]).not.toHaveProperty('writeBacks');

    await run(
      securityHubEvent(1, (f) => {
        f.Note = ourNote;
        f.UpdatedAt = '2022-03-01T00:00:00.000Z';
      }),
      { bots: [bot], mappings: S38, report, feedback },
    );
    expect(runs).toBe(1);
    expect(calls()).toHaveLength(1);
  });

  it('is acted on and noted again when a person sends it with the custom action, our note notwithstanding', async () => {
    const event = securityHubEvent(1, (f) => {
      f.Note = { Text: 'cloudmend: ...', UpdatedBy: 'cloudmend', UpdatedAt: '2022-02-21T09:50:00.000Z' };
    });
    event['detail-type'] = 'Security Hub Findings - Custom Action';
    const outcome = await run(event, {
      bots: [scriptedBot('block_public', remediated())],
      mappings: S38,
      report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
      feedback,
    });
    expect(outcome.results[0]!.status).toBe('remediated');
    expect(calls()).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('a finding without ProductArn is not from an accepted product (the source filter rejects it, as before): no update, and the result says why', async () => {
    const outcome = await run(
      securityHubEvent(1, (f) => delete f.ProductArn),
      {
        bots: [scriptedBot('block_public', remediated())],
        mappings: S38,
        report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
        feedback,
      },
    );
    expect(calls()).toEqual([]);
    expect(outcome.results).toEqual([expect.objectContaining({ status: 'skipped', message: expect.stringMatching(/no ProductArn/) })]);
  });

  it('a finding that reaches a bot without ProductArn is remediated, and its result says why Security Hub was not updated', () => {
    const finding = { source: 'securityhub', id: 'f-1', raw: { Id: 'f-1' } } as SourcedFinding;
    const plan = planSecurityHubUpdates([result('remediated')], [finding], 'notes-and-workflow', false);
    expect(plan.updates).toEqual([]);
    expect(plan.notUpdated).toEqual([
      {
        results: [expect.objectContaining({ status: 'remediated' })],
        status: 'failed',
        detail: 'not updated: the finding has no ProductArn, which BatchUpdateFindings needs to name it',
      },
    ]);
  });

  it('a finding without Id is rejected as before (it cannot be told apart), and its result says it could not be updated', async () => {
    const outcome = await run(
      securityHubEvent(1, (f) => delete f.Id),
      {
        bots: [scriptedBot('block_public', remediated())],
        mappings: S38,
        report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } },
        feedback,
      },
    );
    expect(calls()).toEqual([]);
    expect(outcome.results).toEqual([
      expect.objectContaining({
        status: 'failed',
        errorName: 'malformed-event',
        writeBacks: [{ to: 'securityhub', status: 'failed', detail: expect.stringMatching(/no Id and ProductArn/) }],
      }),
    ]);
  });
});

describe('workflow status for the outcomes of one finding', () => {
  it.each([
    [['remediated'], false, 'RESOLVED'],
    [['remediated', 'already-compliant'], false, 'RESOLVED'],
    [['remediated', 'failed'], false, 'NOTIFIED'],
    [['failed'], false, 'NOTIFIED'],
    [['remediated', 'skipped'], false, 'NOTIFIED'],
    [['already-compliant'], false, undefined],
    [['skipped'], false, undefined],
    [['remediated'], true, undefined],
    [['failed'], true, undefined],
  ] as const)('%j (dry run %s) -> %s', (statuses, dryRun, expected) => {
    expect(
      workflowFor(
        statuses.map((s) => result(s)),
        dryRun,
      ),
    ).toBe(expected);
  });
});

describe('the note', () => {
  it('stays within 512 characters, cutting messages and changes but never a bot, outcome or result id', () => {
    const long = result('remediated', {
      message: 'x'.repeat(2000),
      changes: Array.from({ length: 50 }, (_, i) => ({ ...blockChange, description: `change ${i} ${'y'.repeat(40)}` })),
    });
    const two = [long, result('failed', { bot: 'other_bot', resultId: 'r-000000000000000000000002', message: 'z'.repeat(900) })];
    const note = noteFor(two, false);
    expect(Array.from(note).length).toBeLessThanOrEqual(NOTE_MAX);
    expect(note).toContain('block_public remediated [r-000000000000000000000001]: xxx');
    expect(note).toContain(' | other_bot failed [r-000000000000000000000002]: zzz');
    expect(note).toMatch(/…/);
  });

  it('with more bots than fit, names how many more and where to read them', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      result('remediated', { bot: `bot_number_${i}`, resultId: `r-${String(i).padStart(24, '0')}` }),
    );
    const note = noteFor(many, false);
    expect(Array.from(note).length).toBeLessThanOrEqual(NOTE_MAX);
    expect(note).toMatch(/^cloudmend: bot_number_0 remediated \[r-0{24}\] \| bot_number_1 remediated/);
    expect(note).toMatch(/ \| \+\d+ more in the results topic$/);
    const shown = note.match(/bot_number_\d+/g)!.length;
    expect(note).toContain(`+${30 - shown} more`);
  });

  it('is cut on characters, not code units: no emoji is split', () => {
    expect(clip('ab🟠cd', 3)).toBe('ab…');
    expect(clip('🟠🟠🟠🟠', 3)).toBe('🟠🟠…');
    expect(clip('short', 10)).toBe('short');
  });
});

describe('batching', () => {
  const update = (i: number, note = 'same note', workflow?: 'RESOLVED' | 'NOTIFIED'): SecurityHubUpdate => ({
    identifier: { Id: `f-${i}`, ProductArn: PRODUCT_ARN },
    note,
    ...(workflow ? { workflow } : {}),
    results: [result('remediated', { findingId: `f-${i}` })],
  });

  it('identical updates share calls of at most 100 findings; different ones never share', () => {
    const inputs = batchUpdateInputs([
      ...Array.from({ length: 250 }, (_, i) => update(i, 'same note', 'RESOLVED')),
      update(900, 'same note'),
      update(901, 'other note', 'RESOLVED'),
    ]).map((c) => c.input);
    expect(inputs.map((i) => [i.FindingIdentifiers!.length, i.Note!.Text, i.Workflow?.Status])).toEqual([
      [IDENTIFIERS_PER_CALL, 'same note', 'RESOLVED'],
      [IDENTIFIERS_PER_CALL, 'same note', 'RESOLVED'],
      [50, 'same note', 'RESOLVED'],
      [1, 'same note', undefined],
      [1, 'other note', 'RESOLVED'],
    ]);
    expect(inputs[1]!.FindingIdentifiers![0]).toEqual({ Id: 'f-100', ProductArn: PRODUCT_ARN });
  });

  it('reports a finding Security Hub did not process, and a call that failed, on exactly their results; never throws', async () => {
    securityHub
      .on(BatchUpdateFindingsCommand, { Note: { Text: 'ok batch', UpdatedBy: 'cloudmend' } })
      .resolves({
        ProcessedFindings: [{ Id: 'f-1', ProductArn: PRODUCT_ARN }],
        UnprocessedFindings: [
          { FindingIdentifier: { Id: 'f-2', ProductArn: PRODUCT_ARN }, ErrorCode: 'FindingNotFound', ErrorMessage: 'no such finding' },
        ],
      })
      .on(BatchUpdateFindingsCommand, { Note: { Text: 'bad batch', UpdatedBy: 'cloudmend' } })
      .rejects(Object.assign(new Error('not the administrator'), { name: 'AccessDeniedException' }));
    const updates = [update(1, 'ok batch'), update(2, 'ok batch'), update(3, 'bad batch')];
    const outcomes = await sendSecurityHubUpdates(updates, client);
    expect(updates.map((u) => outcomes.get(u))).toEqual([
      { to: 'securityhub', status: 'written', detail: 'note' },
      { to: 'securityhub', status: 'failed', detail: 'Security Hub did not update the finding (FindingNotFound: no such finding)' },
      { to: 'securityhub', status: 'failed', detail: 'BatchUpdateFindings failed: AccessDeniedException: not the administrator' },
    ]);
  });
});

describe('the echo check', () => {
  it.each([
    [
      'our note, no product update since',
      true,
      { UpdatedAt: '2026-01-01T00:00:00Z', Note: { UpdatedBy: 'cloudmend', UpdatedAt: '2026-01-01T00:00:01Z' } },
    ],
    [
      'our note, product updated since',
      false,
      { UpdatedAt: '2026-01-02T00:00:00Z', Note: { UpdatedBy: 'cloudmend', UpdatedAt: '2026-01-01T00:00:01Z' } },
    ],
    [
      'someone else’s note',
      false,
      { UpdatedAt: '2026-01-01T00:00:00Z', Note: { UpdatedBy: 'analyst', UpdatedAt: '2026-01-01T00:00:01Z' } },
    ],
    ['no note', false, { UpdatedAt: '2026-01-01T00:00:00Z' }],
  ])('%s -> echo: %s', (_name, expected, finding) => {
    expect(isOwnEcho(finding)).toBe(expected);
  });
});

describe('never failing the remediation', () => {
  it('even a write-back that throws before any call (a bug) leaves the results as they were, logged', async () => {
    const { reportBack } = await import('../../../handler/feedback');
    const lines: string[] = [];
    const { createLogger } = await import('../../../handler/log');
    const results = [result('remediated')];
    const poisoned = [
      {
        get source(): never {
          throw new Error('bug');
        },
      },
    ] as never;
    await expect(
      reportBack(results, poisoned, {
        config: { report: { securityHub: 'notes-and-workflow', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } } },
        dryRun: false,
        log: createLogger({ write: (l) => lines.push(l) }),
        feedback,
      }),
    ).resolves.toBeUndefined();
    expect(results[0]!.status).toBe('remediated');
    expect(lines.map((l) => JSON.parse(l).message)).toContain('write-back failed unexpectedly; the remediation results stand');
  });
});
