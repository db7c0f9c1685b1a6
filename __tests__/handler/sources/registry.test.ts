import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_DECLARATIONS } from '../../../config/sources';
import { SOURCES } from '../../../handler/sources';
import { unwrapEvent } from '../../../handler/sources/envelope';
import { fixture } from '../../fixtures/load';

const fixtureNames = readdirSync(join(__dirname, '../../fixtures')).filter((f) => f.endsWith('.json'));

describe('the source registry', () => {
  it('has one module per declared source, each pointing at its own declaration', () => {
    expect(SOURCES.map((s) => s.declaration.name).sort()).toEqual(SOURCE_DECLARATIONS.map((d) => d.name).sort());
    expect(new Set(SOURCES.map((s) => s.declaration)).size).toBe(SOURCES.length);
  });

  it.each(fixtureNames)('exactly one source recognises each message of %s', (name) => {
    const { messages } = unwrapEvent(fixture(name));
    expect(messages.length).toBeGreaterThan(0);
    for (const { payload } of messages) {
      const recognising = SOURCES.filter((s) => s.recognises(payload)).map((s) => s.declaration.name);
      expect(recognising).toHaveLength(1);
      // The fixture names say which source wrote them.
      if (!name.startsWith('sns-') && !name.startsWith('sqs-')) expect(name.replace(/-/g, '')).toContain(recognising[0]);
    }
  });

  it('recognises nothing that is not a finding', () => {
    for (const payload of [{}, { 'detail-type': 'EC2 Instance State-change Notification', detail: {} }, { rule: 'x', entity: {} }]) {
      expect(SOURCES.filter((s) => s.recognises(payload))).toEqual([]);
    }
  });
});
