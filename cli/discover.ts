/**
 * `cloudmend discover [--config cloudmend.yaml] [--out inventory.json] [--region r]`:
 * refreshes the inventory from AWS Organizations so synth can run offline.
 */
import { dirname, relative, resolve } from 'node:path';
import { parseOptions } from './args';

const USAGE = `usage: cloudmend discover [--config cloudmend.yaml] [--out inventory.json] [--region us-east-1]

Reads the OU tree and accounts from AWS Organizations (run it with credentials
of the management or a delegated administrator account) and the regions
enabled for the calling account, and writes the inventory synth reads.
--out defaults to organization.inventoryFile, else inventory.json next to the config.`;

export async function run(argv: string[]): Promise<number> {
  const values = parseOptions(
    argv,
    {
      config: { type: 'string' },
      out: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { formatNotice, loadConfigWithWarnings } = await import('../config/load');
  const { discoverInventory } = await import('../config/discover');
  const { scopeInventory, writeInventoryFile } = await import('../config/inventory');
  const configPath = resolve(values.config ?? process.env.CLOUDMEND_CONFIG ?? 'cloudmend.yaml');
  // A config mistake propagates to cli/main.ts, which prints it as one line (a UserFacingError).
  const { config, warnings } = loadConfigWithWarnings(configPath);
  for (const notice of warnings) if (notice.level === 'warning') process.stderr.write(`cloudmend discover: ${formatNotice(notice)}\n`);
  const out = resolve(values.out ?? config.organization.inventoryFile ?? resolve(dirname(configPath), 'inventory.json'));
  const interactive = process.stderr.isTTY;
  const inventory = await discoverInventory({
    region: values.region ?? process.env.AWS_REGION ?? (Array.isArray(config.regions.include) ? config.regions.include[0] : undefined),
    onProgress: (p) => {
      const line =
        p.phase === 'organization'
          ? `organization ${p.organizationId}`
          : p.phase === 'ous'
            ? `${p.found} OUs (${p.path})`
            : p.phase === 'accounts'
              ? `${p.found} accounts (${p.path})`
              : `${p.found} enabled regions`;
      // One rewritten line on a terminal; plain lines in a pipeline log.
      process.stderr.write(interactive ? `\r\x1b[K${line}` : `${line}\n`);
    },
  });
  if (interactive) process.stderr.write('\n');
  writeInventoryFile(out, inventory);
  const scoped = scopeInventory(inventory, config);
  process.stdout.write(
    `wrote ${relative(process.cwd(), out) || out}: ${inventory.accounts.length} accounts, ${inventory.regions.length} regions; ` +
      `${scoped.accounts.length} accounts and ${scoped.regions.length} regions in scope\n` +
      scoped.notes.map((n) => `  - ${n}\n`).join(''),
  );
  if (!config.organization.discover && !config.organization.inventoryFile) {
    process.stdout.write(
      'note: the config uses its static account list; set organization.discover: true (or inventoryFile) for synth to read this file\n',
    );
  }
  return 0;
}
