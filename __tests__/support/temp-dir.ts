import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The root for temporary files: jest's global setup makes one per run and its teardown removes it. */
export function scratchRoot(): string {
  const root = process.env.CLOUDMEND_TEST_SCRATCH ?? tmpdir();
  mkdirSync(root, { recursive: true });
  return root;
}

/** A fresh temporary folder for this test file, removed after its last test. */
export function tempDirForFile(prefix: string): string {
  const dir = mkdtempSync(join(scratchRoot(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
