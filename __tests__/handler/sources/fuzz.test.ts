/**
 * Property: whatever arrives, the source layer answers with findings or
 * rejections that explain themselves, and never throws. Inputs are random
 * values, random records, and real fixtures with random fields replaced or
 * removed, bare and inside SNS and SQS envelopes.
 */
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { planRemediation } from '../../../handler/plan';
import { resultOfRejection } from '../../../handler/report';
import { parseEvent } from '../../../handler/sources';
import { fixture } from '../../fixtures/load';
import { runtimeConfig, testRegistry } from '../support';

const options = { defaultRegion: 'us-east-1' };
const fixtures = readdirSync(join(__dirname, '../../fixtures'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => fixture(f));

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      pathsOf(child, path, out);
    }
  }
  return out;
}

function mutate(base: unknown, edits: { at: number; value: unknown; remove: boolean }[]): unknown {
  const copy = structuredClone(base);
  const paths = pathsOf(copy);
  for (const edit of edits) {
    const path = paths[edit.at % Math.max(1, paths.length)];
    if (!path) continue;
    let parent: unknown = copy;
    for (const key of path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key];
    if (typeof parent !== 'object' || parent === null) continue;
    const container = parent as Record<PropertyKey, unknown>;
    const last = path[path.length - 1]!;
    if (edit.remove) delete container[last];
    else container[last] = edit.value;
  }
  return copy;
}

const edit = fc.record({
  at: fc.nat(),
  value: fc.oneof(fc.anything(), fc.constantFrom('', null, 'us_east_1', 'Failed', 'AUTO: ', '|||', 123456789012)),
  remove: fc.boolean(),
});
const mutatedFixture = fc
  .tuple(fc.constantFrom(...fixtures), fc.array(edit, { minLength: 1, maxLength: 6 }))
  .map(([base, edits]) => mutate(base, edits));

const envelope = (payload: fc.Arbitrary<unknown>) =>
  fc.oneof(
    payload,
    payload.map((p) => ({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm', Message: JSON.stringify(p) ?? 'undefined' } }] })),
    payload.map((p) => ({ Records: [{ EventSource: 'aws:sns', Sns: { Message: p } }] })),
    payload.map((p) => ({
      Records: [
        {
          eventSource: 'aws:sqs',
          messageId: 'q',
          body: JSON.stringify({ Type: 'Notification', TopicArn: 't', Message: JSON.stringify(p) }),
        },
      ],
    })),
    fc
      .array(payload, { maxLength: 3 })
      .map((ps) => ({ Records: ps.map((p, i) => ({ eventSource: 'aws:sqs', messageId: `q${i}`, body: JSON.stringify(p) ?? '' })) })),
  );

const randomRecords = fc.record({
  Records: fc.array(
    fc.oneof(fc.anything(), fc.record({ Sns: fc.anything() }), fc.record({ eventSource: fc.constant('aws:sqs'), body: fc.anything() })),
  ),
});

function check(event: unknown): void {
  const { findings, rejections } = parseEvent(event, options);
  if (findings.length + rejections.length === 0)
    throw new Error(`neither finding nor rejection for ${JSON.stringify(event)?.slice(0, 1500)}`);
  for (const rejection of rejections) {
    expect(typeof rejection.reason).toBe('string');
    expect(rejection.reason.length).toBeGreaterThan(10);
    JSON.stringify(resultOfRejection(rejection, false));
  }
  for (const finding of findings) {
    expect(finding.account).toMatch(/^\d{12}$/);
    expect(finding.resource.id).toEqual(expect.any(String));
    const plan = planRemediation(finding, runtimeConfig(), testRegistry());
    expect(plan.runs.length + plan.rejections.length).toBeGreaterThan(0);
  }
}

describe('source layer under malformed input', () => {
  it('never throws on arbitrary values, always answers with a reason', () => {
    fc.assert(fc.property(envelope(fc.anything({ withNullPrototype: true, withObjectString: true })), check), { numRuns: 3000 });
  });

  it('never throws on random records', () => {
    fc.assert(fc.property(randomRecords, check), { numRuns: 1500 });
  });

  it('never throws on real events with fields replaced or removed', () => {
    fc.assert(fc.property(envelope(mutatedFixture), check), { numRuns: 4000 });
  });
});
