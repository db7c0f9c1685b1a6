import { existsSync, readFileSync, rmSync } from 'node:fs';
import { MOTO_PIDS_FILE } from './moto-files';

export default async function globalTeardown(): Promise<void> {
  if (!existsSync(MOTO_PIDS_FILE)) return;
  const pids = JSON.parse(readFileSync(MOTO_PIDS_FILE, 'utf8')) as number[];
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGTERM'); // the whole process group: moto may fork
    } catch {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  rmSync(MOTO_PIDS_FILE, { force: true });
}
