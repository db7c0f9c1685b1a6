import { occurrenceOf, resultIdOf } from '../../../handler/feedback/result-id';

describe('result ids', () => {
  const base = { source: 'securityhub' as const, findingId: 'f-1', bot: 'b', raw: { UpdatedAt: '2026-11-01T00:00:00Z' } };

  it('are the same for every delivery of one finding occurrence to one bot (retries, redeliveries)', () => {
    expect(resultIdOf(base)).toBe(resultIdOf({ ...base, raw: { ...base.raw, Workflow: { Status: 'NOTIFIED' } } }));
    expect(resultIdOf(base)).toMatch(/^r-[0-9a-f]{24}$/);
  });

  it('differ per bot, per finding, per source, and once the source reports the finding anew', () => {
    const ids = [
      resultIdOf(base),
      resultIdOf({ ...base, bot: 'other' }),
      resultIdOf({ ...base, findingId: 'f-2' }),
      resultIdOf({ ...base, source: 'guardduty' }),
      resultIdOf({ ...base, raw: { UpdatedAt: '2026-11-08T00:00:00Z' } }),
      resultIdOf({ ...base, bot: undefined }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['Security Hub (ASFF UpdatedAt)', { UpdatedAt: 'a' }, 'a'],
    ['GuardDuty (detail.updatedAt)', { time: 't', detail: { updatedAt: 'b' } }, 'b'],
    ['CloudGuard (reportTime)', { reportTime: 'c' }, 'c'],
    ['Config (resultRecordedTime)', { time: 't', detail: { newEvaluationResult: { resultRecordedTime: 'd' } } }, 'd'],
    ['an event with only its time', { time: 't' }, 't'],
    ['nothing', 'text', ''],
  ])('occurrence of %s', (_name, raw, expected) => {
    expect(occurrenceOf(raw)).toBe(expected);
  });
});
