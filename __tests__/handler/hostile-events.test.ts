/**
 * The hostile-event corpus (__tests__/fixtures/hostile-events/): malformed,
 * spoofed and out-of-scope events, each run through the whole handler path
 * (parse, validate identity, plan, exclusion lookup) with no AWS account
 * reachable. expected.json holds, per event, the exact result lines: every
 * record and every finding ends in a result with its reason, nothing throws,
 * and nothing reaches a bot.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { botNames, getBot } from '../../bots';
import { createLogger } from '../../handler/log';
import { processEvent } from '../../handler/process-event';
import type { RemediationResult } from '../../handler/report';
import { runtimeConfig } from './support';

const dir = join(__dirname, '../fixtures/hostile-events');
const expected: Record<string, string[]> = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'expected.json')
  .sort();

const config = runtimeConfig({
  enabledBots: ['ec2_stop_instance', 'rds_enable_backup', 's3_enable_versioning'],
  mappings: {
    guardduty: { 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom': ['ec2_stop_instance'] },
    securityHub: { 'S3.8': ['s3_enable_versioning'] },
    config: { 's3-bucket-versioning-enabled': ['s3_enable_versioning'] },
  },
});

/** No member account is reachable: whatever gets past planning fails closed at the tag lookup, and says so. */
const unreachable = {
  forRun: async () => {
    throw Object.assign(new Error('no AWS account is reachable from the corpus'), { name: 'CorpusNoAws' });
  },
};

function resultLine(r: RemediationResult): string {
  return `${r.status} ${r.errorName ?? '-'} ${r.bot ?? '-'}: ${r.message}`;
}

async function run(event: unknown): Promise<RemediationResult[]> {
  const outcome = await processEvent(event, {
    config,
    registry: { getBot, botNames },
    credentials: unreachable,
    dryRun: false,
    defaultRegion: 'us-east-1',
    log: createLogger({ write: () => {} }),
  });
  return outcome.results;
}

describe('the hostile-event corpus', () => {
  it('holds at least 50 events, each with its expected result lines', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s ends in its exact result lines, none of them a bot run', async (file) => {
    const results = await run(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(results.length).toBeGreaterThan(0);
    expect(results.map(resultLine)).toEqual(expected[file]);
    expect(results.filter((r) => r.status === 'remediated' || r.changes.length > 0)).toEqual([]);
  });
});
