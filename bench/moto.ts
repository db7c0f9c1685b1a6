/** A moto server of a benchmark's own on a free loopback port, or why there is none. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface MotoServer {
  url: string;
  process: ChildProcess;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export async function startMoto(): Promise<MotoServer | { unavailable: string }> {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { unavailable: probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? 'no moto' };
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/moto-api/reset`, { method: 'POST' })).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      return { unavailable: `moto did not start on ${url} within 30 s` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
