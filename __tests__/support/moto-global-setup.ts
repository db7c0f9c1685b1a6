/**
 * The integration project's global setup (jest.config.js). Starts one moto server per jest worker (files in a worker run one after the
 * other, so each may reset its server without disturbing another file), on free
 * loopback ports. Tests find their server through CLOUDMEND_MOTO_URLS.
 *
 * When moto cannot start, the integration tier is skipped with a loud notice,
 * except under CI=true, where that fails the run: a skip must never pass CI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { MOTO_PIDS_FILE } from './moto-files';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto server at ${url} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function motoMissingReason(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.error) return `python3 not found (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import moto.server: ${probe.stderr.trim().split('\n').pop()}`;
  return undefined;
}

export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const missing = motoMissingReason();
  if (missing) {
    const notice = `moto server unavailable: ${missing}. Install it with: pip install "moto[server]"`;
    if (process.env.CI) throw new Error(`${notice}\nCI requires the integration tier; refusing to skip it.`);
    process.stderr.write(`\n${'!'.repeat(78)}\n!! SKIPPING INTEGRATION TESTS: ${notice}\n${'!'.repeat(78)}\n\n`);
    process.env.CLOUDMEND_MOTO_UNAVAILABLE = missing;
    writeFileSync(MOTO_PIDS_FILE, '[]');
    return;
  }
  const workers = Math.max(1, globalConfig.maxWorkers);
  const urls: string[] = [];
  const pids: number[] = [];
  for (let i = 0; i < workers; i++) {
    const port = await freePort();
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    if (child.pid) pids.push(child.pid);
    urls.push(`http://127.0.0.1:${port}`);
  }
  writeFileSync(MOTO_PIDS_FILE, JSON.stringify(pids));
  await Promise.all(urls.map((url) => waitUntilUp(url, 30000)));
  process.env.CLOUDMEND_MOTO_URLS = urls.join(',');
}
