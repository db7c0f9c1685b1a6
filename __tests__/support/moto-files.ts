import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where global setup leaves the moto server pids for teardown (per jest parent process). */
export const MOTO_PIDS_FILE = join(tmpdir(), `cloudmend-moto-pids-${process.pid}.json`);
