#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the repository needs no build step.
require('tsx/cjs');
const { main } = require('../cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`cloudmend: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
