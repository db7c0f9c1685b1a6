/**
 * The inventory: which accounts and regions exist, and the slice of them the
 * config puts in scope. Discovery (config/discover.ts) or the static account
 * list produces it; synth only reads it, so a pipeline can review and pin the
 * file and synthesize without credentials.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InventoryError } from './errors';
import { DEFAULT_REGIONS } from './regions';
import type { CloudmendConfig } from './schema';

const AccountStatus = z.enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export const InventoryAccount = z.strictObject({
  id: z.string().regex(/^\d{12}$/),
  name: z.string(),
  /** OU path by name from the root, e.g. "Root/Workloads/Prod". */
  ouPath: z.string(),
  /** OU ids from the root down to the account's parent, e.g. ["r-ab12", "ou-ab12-11111111"]; empty when unknown. */
  ouIds: z.array(z.string()).default([]),
  status: AccountStatus,
});

export const Inventory = z.strictObject({
  version: z.literal(1),
  source: z.enum(['static', 'discovered']),
  /** When discovery ran (ISO 8601); absent for a static inventory, so its output never changes by itself. */
  generatedAt: z.string().optional(),
  organizationId: z.string().optional(),
  /** The management account (discovery records it): never targeted by a service-managed StackSet, never in scope by accident. */
  managementAccountId: z.string().optional(),
  accounts: z.array(InventoryAccount),
  /** Regions enabled for the organization's security account. */
  regions: z.array(z.string()),
});

export type InventoryAccount = z.output<typeof InventoryAccount>;
export type Inventory = z.output<typeof Inventory>;

/** Accounts by id and regions by name, so the file diffs cleanly between runs. */
export function normalizeInventory(inventory: Inventory): Inventory {
  return {
    version: 1,
    source: inventory.source,
    ...(inventory.generatedAt ? { generatedAt: inventory.generatedAt } : {}),
    ...(inventory.organizationId ? { organizationId: inventory.organizationId } : {}),
    ...(inventory.managementAccountId ? { managementAccountId: inventory.managementAccountId } : {}),
    accounts: [...inventory.accounts]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((a) => ({ id: a.id, name: a.name, ouPath: a.ouPath, ouIds: [...a.ouIds], status: a.status })),
    regions: [...new Set(inventory.regions)].sort(),
  };
}

export function serializeInventory(inventory: Inventory): string {
  return `${JSON.stringify(normalizeInventory(inventory), null, 2)}\n`;
}

export function writeInventoryFile(path: string, inventory: Inventory): void {
  writeFileSync(path, serializeInventory(inventory));
}

export function readInventoryFile(path: string): Inventory {
  if (!existsSync(path)) {
    throw new InventoryError(`inventory file ${path} not found: run \`npx cloudmend discover --out ${path}\` to create it`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InventoryError(
      `inventory file ${path} is not valid JSON (${(error as Error).message}); regenerate it with \`npx cloudmend discover\``,
    );
  }
  const parsed = Inventory.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new InventoryError(
      `inventory file ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}; regenerate it with \`npx cloudmend discover\``,
    );
  }
  return normalizeInventory(parsed.data);
}

/** The OU id chain of a static account: its own id form, or every prefix of its path named in organization.ouIds. */
function staticOuIds(ou: string, known: Record<string, string>): string[] {
  if (ou.startsWith('ou-') || ou.startsWith('r-')) return [ou.split('/')[0] ?? ou];
  const segments = ou.split('/');
  const chain = segments.map((_, i) => known[segments.slice(0, i + 1).join('/')]);
  return chain.every((id): id is string => id !== undefined) ? chain : [];
}

/** The inventory from `organization.accounts`, for configs that list accounts by hand. */
export function staticInventory(config: CloudmendConfig): Inventory {
  return normalizeInventory({
    version: 1,
    source: 'static',
    ...(config.organization.id ? { organizationId: config.organization.id } : {}),
    ...(config.organization.managementAccount ? { managementAccountId: config.organization.managementAccount } : {}),
    accounts: config.organization.accounts.map((account) => ({
      id: account.id,
      name: account.name,
      ouPath: account.ou,
      ouIds: staticOuIds(account.ou, config.organization.ouIds),
      status: account.status,
    })),
    // Without discovery nothing is known about opt-in regions; the default regions are enabled everywhere.
    regions: Array.isArray(config.regions.include) ? config.regions.include : [...DEFAULT_REGIONS],
  });
}

/**
 * The inventory synth uses: the inventory file when the config names one or
 * discovers (default `inventory.json` next to the config), else the static list.
 */
export function loadInventory(config: CloudmendConfig, configPath: string): { inventory: Inventory; file?: string } {
  const { discover, inventoryFile } = config.organization;
  if (inventoryFile || discover) {
    const file = resolve(dirname(configPath), inventoryFile ?? 'inventory.json');
    return { inventory: readInventoryFile(file), file };
  }
  return { inventory: staticInventory(config) };
}

export interface ScopedInventory {
  accounts: InventoryAccount[];
  regions: string[];
  organizationId?: string;
  /** Why accounts or regions were left out or added: printed in the synth summary. */
  notes: string[];
}

/** True when the account sits in `ou` (an OU/root id or a path prefix such as "Root/Workloads"). */
export function accountInOu(account: Pick<InventoryAccount, 'ouPath' | 'ouIds'>, ou: string): boolean {
  const [head, ...rest] = ou.split('/');
  if (head && /^(ou-|r-)/.test(head)) {
    if (rest.length === 0) return account.ouIds.includes(head) || account.ouPath === head || account.ouPath.startsWith(`${head}/`);
    // "ou-xxxx/Child": the named path below that OU.
    const index = account.ouIds.indexOf(head);
    if (index < 0) return account.ouPath === ou || account.ouPath.startsWith(`${ou}/`);
    const below = account.ouPath.split('/').slice(index + 1);
    return rest.every((segment, i) => below[i] === segment);
  }
  return account.ouPath === ou || account.ouPath.startsWith(`${ou}/`);
}

/**
 * Applies the config's include/exclude OUs, accounts and regions. Suspended or
 * closed accounts are skipped with a note (a role cannot be created there); the
 * security account is always in scope, because the handler runs there and its
 * own resources are remediated like any other account's.
 */
export function scopeInventory(inventory: Inventory, config: CloudmendConfig): ScopedInventory {
  const org = config.organization;
  const notes: string[] = [];
  const accounts: InventoryAccount[] = [];
  const management = org.managementAccount ?? inventory.managementAccountId;
  for (const account of inventory.accounts) {
    const label = `${account.id} (${account.name})`;
    if (account.id === config.securityAccount) continue;
    // It has no OrganizationAccountAccessRole and a service-managed StackSet cannot reach it: only ever in scope on purpose.
    if (account.id === management && !(config.roles.deployment === 'terraform' && org.includeAccounts.includes(account.id))) {
      notes.push(
        `left out ${label}: the management account (to remediate it, use roles.deployment: terraform and list it in organization.includeAccounts)`,
      );
      continue;
    }
    if (account.status !== 'ACTIVE') {
      notes.push(`skipped ${label}: account is ${account.status.toLowerCase().replace('_', ' ')}`);
      continue;
    }
    if (org.includeAccounts.length > 0 && !org.includeAccounts.includes(account.id)) continue;
    if (org.excludeAccounts.includes(account.id)) {
      notes.push(`excluded ${label}: listed in organization.excludeAccounts`);
      continue;
    }
    if (org.includeOus.length > 0 && !org.includeOus.some((ou) => accountInOu(account, ou))) continue;
    const excludedBy = org.excludeOus.find((ou) => accountInOu(account, ou));
    if (excludedBy) {
      notes.push(`excluded ${label}: under excluded OU ${excludedBy}`);
      continue;
    }
    accounts.push(account);
  }
  for (const id of org.includeAccounts) {
    if (!inventory.accounts.some((a) => a.id === id)) notes.push(`organization.includeAccounts names ${id}, which is not in the inventory`);
  }

  const security = inventory.accounts.find((a) => a.id === config.securityAccount);
  accounts.push(security ?? { id: config.securityAccount, name: 'security', ouPath: '', ouIds: [], status: 'ACTIVE' });
  if (!security) notes.push(`security account ${config.securityAccount} is not in the inventory; included anyway`);
  accounts.sort((a, b) => a.id.localeCompare(b.id));

  const enabled = new Set(inventory.regions);
  let regions: string[];
  if (config.regions.include === 'all-enabled') {
    regions = [...enabled];
  } else {
    regions = [];
    for (const region of config.regions.include) {
      if (inventory.source === 'discovered' && !enabled.has(region)) {
        notes.push(`skipped region ${region}: not enabled in the security account (opt in to it first)`);
      } else {
        regions.push(region);
      }
    }
  }
  regions = [...new Set(regions.filter((r) => !config.regions.exclude.includes(r)))].sort();

  return { accounts, regions, notes, ...(inventory.organizationId ? { organizationId: inventory.organizationId } : {}) };
}
