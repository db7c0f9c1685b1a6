import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One scratch root for every temporary file the tests of a run write (both tiers); global-teardown.ts removes it. */
export default async function globalSetup(): Promise<void> {
  process.env.CLOUDMEND_TEST_SCRATCH = mkdtempSync(join(tmpdir(), 'cloudmend-tests-'));
}
