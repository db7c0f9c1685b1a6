/**
 * `npm run catalog`: writes docs/bots.md from the registry. With `--check` it
 * writes nothing and exits 1 when the file is out of date (for CI and hooks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOTS } from './index';
import { renderCatalog } from './catalog';

const CATALOG_PATH = join(__dirname, '..', 'docs', 'bots.md');

function main(argv: string[]): number {
  const markdown = renderCatalog(BOTS);
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CATALOG_PATH, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current === markdown) return 0;
    process.stderr.write(`${CATALOG_PATH} is out of date: run \`npm run catalog\` and commit it\n`);
    return 1;
  }
  writeFileSync(CATALOG_PATH, markdown);
  process.stdout.write(`wrote ${CATALOG_PATH} (${BOTS.length} bots)\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
