import { parseEvent } from '../../handler/sources';
import { fixture } from '../fixtures/load';

/** The same Security Hub event as the aggregation region's bus delivers it: event region us-east-1, findings from eu-west-1 too. */
describe('Security Hub cross-region aggregation: each finding acted on once, by the handler of its own region', () => {
  const event = fixture('securityhub-imported-mixed.json');

  it('the handler of the aggregation region drops the copies of other regions’ findings, with the reason', () => {
    const parsed = parseEvent(event, { defaultRegion: 'us-east-1' });
    expect(parsed.findings.length).toBeGreaterThan(0);
    expect(parsed.findings.every((f) => f.region === 'us-east-1')).toBe(true);
    const copies = parsed.rejections.filter((r) => r.code === 'aggregated-copy');
    expect(copies.length).toBeGreaterThan(0);
    expect(copies[0]).toMatchObject({ kind: 'skip' });
    expect(copies[0]!.reason).toMatch(
      /is from eu-west-1, delivered here \(us-east-1\) by cross-region aggregation: the handler of eu-west-1 acts on it/,
    );
  });

  it('the handler of the finding’s own region acts on it', () => {
    const parsed = parseEvent(event, { defaultRegion: 'eu-west-1' });
    expect(parsed.findings.map((f) => f.region)).toContain('eu-west-1');
    expect(parsed.findings.every((f) => f.region === 'eu-west-1')).toBe(true);
  });

  it('together the two handlers act on every finding exactly once', () => {
    const ids = (region: string) => parseEvent(event, { defaultRegion: region }).findings.map((f) => `${f.id}|${f.rule}`);
    const all = parseEvent({ ...event, 'detail-type': 'Security Hub Findings - Custom Action' }, { defaultRegion: 'us-east-1' }).findings;
    const acted = [...ids('us-east-1'), ...ids('eu-west-1')];
    expect(acted.sort()).toEqual(all.map((f) => `${f.id}|${f.rule}`).sort());
  });

  it('a custom action is no copy: someone chose that finding here', () => {
    const custom = fixture('securityhub-custom-action.json');
    const parsed = parseEvent(custom, { defaultRegion: 'eu-west-1' });
    expect(parsed.rejections.filter((r) => r.code === 'aggregated-copy')).toEqual([]);
  });
});
