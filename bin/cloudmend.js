#!/usr/bin/env node
// Runs the TypeScript CLI with tsx, so the repository needs no build step.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const result = spawnSync(
  process.execPath,
  [require.resolve('tsx/cli'), join(__dirname, '..', 'cli', 'main.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { CHECKPOINT_DISABLE: '1', ...process.env },
  },
);
if (result.error) {
  process.stderr.write(`cloudmend: cannot start tsx: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
