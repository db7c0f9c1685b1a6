import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

/** Bytes a slow consumer (one that starts reading after a second) gets from a script that writes 300,000 bytes and exits. */
function bytesThroughPipe(exit: string): number {
  const script = `import { exitWhenFlushed } from './cli/exit'; process.stdout.write('x'.repeat(300000)); ${exit};`;
  const out = execFileSync('sh', ['-c', `"${tsx}" -e "${script}" | (sleep 1; wc -c)`], { cwd: root, encoding: 'utf8' });
  return Number(out.trim());
}

describe('exitWhenFlushed', () => {
  it('lets a slow consumer of a pipe read everything before the process ends', () => {
    expect(bytesThroughPipe('exitWhenFlushed(0)')).toBe(300000);
  });

  it('guards against what process.exit does to the same output (the test can fail)', () => {
    expect(bytesThroughPipe('void exitWhenFlushed; process.exit(0)')).toBeLessThan(300000);
  });
});
