/**
 * The bad-config corpus (__tests__/fixtures/bad-configs/): each file is one
 * way an operator gets cloudmend.yaml wrong, and expected.json holds the exact
 * message synth (and `cloudmend invoke`) must answer with: a ConfigError
 * naming file:line:column, the field and the fix; never a stack trace, never
 * an accepted config.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../config/errors';
import { parseConfig } from '../../config/load';

const dir = join(__dirname, '../fixtures/bad-configs');
const expected: Record<string, string> = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('the bad-config corpus', () => {
  it('holds at least 50 configs, each with its expected message', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s is refused with its exact message', (file) => {
    let error: unknown;
    try {
      // As synth loads it: rollout checks included.
      parseConfig(readFileSync(join(dir, file), 'utf8'), `bad-configs/${file}`, { rollout: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(expected[file]);
  });
});
