import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  if (process.env.CLOUDMEND_TEST_SCRATCH) rmSync(process.env.CLOUDMEND_TEST_SCRATCH, { recursive: true, force: true });
}
