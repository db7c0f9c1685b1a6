/**
 * Where a service-managed StackSet deploys: OU ids, so an account that joins an
 * in-scope OU gets the member role with no redeploy, and one that leaves loses
 * it. The config speaks in OU ids or paths with exclusions; a StackSet only
 * targets whole OU subtrees, so an excluded OU below a target is carved out by
 * targeting its siblings instead (from the OU chains the inventory knows), and
 * accounts sitting directly in a carved OU are named one by one.
 *
 * Pure: config + inventory in, targets out (or a ScopeError naming the field).
 */
import { StackSetScopeError } from './errors';
import { accountInOu, type Inventory, type InventoryAccount } from '../config/inventory';
import type { CloudmendConfig } from '../config/schema';

export { StackSetScopeError } from './errors';

export interface StackSetInstanceTargets {
  organizationalUnitIds: string[];
  /** With the filter: DIFFERENCE leaves these accounts out of the OUs; INTERSECTION deploys only to them. */
  accounts?: string[];
  accountFilterType?: 'DIFFERENCE' | 'INTERSECTION';
}

export interface StackSetTargets {
  /** One entry per aws_cloudformation_stack_set_instance. */
  instances: StackSetInstanceTargets[];
  /** Accounts the StackSet must never reach (security: its role is Terraform-managed; management: StackSets cannot). */
  neverTargeted: string[];
  notes: string[];
}

/** Known children of each OU, from the chains of the accounts the inventory holds. */
function ouTree(accounts: readonly InventoryAccount[]) {
  const children = new Map<string, Set<string>>();
  const direct = new Map<string, InventoryAccount[]>();
  for (const account of accounts) {
    account.ouIds.forEach((id, i) => {
      const next = account.ouIds[i + 1];
      const below = children.get(id) ?? new Set<string>();
      children.set(id, below);
      if (next) below.add(next);
    });
    const parent = account.ouIds.at(-1);
    if (parent) {
      const here = direct.get(parent);
      if (here) here.push(account);
      else direct.set(parent, [account]);
    }
  }
  return { children, direct };
}

/** An OU reference of the config (id, or path from the root) as an OU id, through the inventory's chains. */
export function resolveOuId(ou: string, accounts: readonly InventoryAccount[]): string | undefined {
  if (/^(ou-|r-)[^/]*$/.test(ou)) return ou;
  const segments = ou.split('/');
  for (const account of accounts) {
    if (account.ouIds.length === 0) continue;
    const path = account.ouPath.split('/');
    if (segments.every((s, i) => path[i] === s)) return account.ouIds[segments.length - 1];
  }
  return undefined;
}

function isBelow(ouIds: readonly string[], ancestor: string, descendant: string): boolean {
  const a = ouIds.indexOf(ancestor);
  const d = ouIds.indexOf(descendant);
  return a >= 0 && d > a;
}

export function stackSetTargets(config: CloudmendConfig, inventory: Pick<Inventory, 'accounts'>): StackSetTargets {
  const org = config.organization;
  const accounts = inventory.accounts;
  const notes: string[] = [];
  const resolve = (ou: string, field: string): string => {
    const id = resolveOuId(ou, accounts);
    if (!id) {
      throw new StackSetScopeError(
        `${field}: cannot resolve OU "${ou}" to an OU id (no account of the inventory lies under it, or the inventory has no OU ids): ` +
          'name it by id ("ou-ab12-cdefgh34"), or run `npx cloudmend discover` so the inventory records OU ids',
      );
    }
    return id;
  };

  let targets = config.roles.stackSet.targetOus.length > 0 ? [...config.roles.stackSet.targetOus] : [];
  if (targets.length === 0) targets = org.includeOus.map((ou, i) => resolve(ou, `organization.includeOus[${i}]`));
  if (targets.length === 0) {
    const root = accounts.map((a) => a.ouIds[0]).find((id) => id?.startsWith('r-'));
    if (!root) {
      throw new StackSetScopeError(
        'roles.deployment: stackset needs the OU scope as OU ids: set organization.includeOus (or roles.stackSet.targetOus) to OU ids, ' +
          'or discover the organization (`npx cloudmend discover`) so the inventory knows its root and OU ids; or use roles.deployment: terraform',
      );
    }
    targets = [root];
  }

  // Excluded OUs resolvable to ids; a path nobody lives under has nothing to carve today.
  const excluded = new Set<string>();
  org.excludeOus.forEach((ou) => {
    const id = resolveOuId(ou, accounts);
    if (id) excluded.add(id);
    else notes.push(`excluded OU ${ou} holds no known account; name it by id so an account that joins it later stays excluded`);
  });

  const { children, direct } = ouTree(accounts);
  const chains = accounts.map((a) => a.ouIds);
  const ous: string[] = [];
  const directAccounts = new Map<string, string[]>();
  const carve = (ou: string) => {
    if (excluded.has(ou)) return;
    const hasExcludedBelow = [...excluded].some((e) => chains.some((chain) => isBelow(chain, ou, e)));
    if (!hasExcludedBelow) {
      ous.push(ou);
      return;
    }
    for (const child of [...(children.get(ou) ?? [])].sort()) carve(child);
    const here = (direct.get(ou) ?? []).map((a) => a.id);
    if (here.length > 0) {
      directAccounts.set(ou, here);
      notes.push(
        `OU ${ou} holds an excluded OU, so its ${here.length} direct account(s) are targeted by id: an account joining it directly needs a re-synth`,
      );
    }
  };
  for (const target of [...new Set(targets)].sort()) carve(target);

  const neverTargeted = [config.securityAccount, ...(org.managementAccount ? [org.managementAccount] : [])];
  const isExcludedAccount = (id: string) => org.excludeAccounts.includes(id) || neverTargeted.includes(id);
  const instances: StackSetInstanceTargets[] = [];
  if (org.includeAccounts.length > 0) {
    const only = org.includeAccounts.filter((id) => !isExcludedAccount(id)).sort();
    if (ous.length > 0 && only.length > 0)
      instances.push({ organizationalUnitIds: ous, accounts: only, accountFilterType: 'INTERSECTION' });
  } else if (ous.length > 0) {
    const under = (id: string) => {
      const account = accounts.find((a) => a.id === id);
      // Unknown accounts (not in the inventory) are left out anyway: DIFFERENCE of an absent account is harmless.
      return !account || ous.some((ou) => accountInOu(account, ou));
    };
    const minus = [...new Set([...org.excludeAccounts, ...neverTargeted])].filter(under).sort();
    instances.push(
      minus.length > 0 ? { organizationalUnitIds: ous, accounts: minus, accountFilterType: 'DIFFERENCE' } : { organizationalUnitIds: ous },
    );
  }
  for (const [ou, ids] of [...directAccounts].sort(([a], [b]) => a.localeCompare(b))) {
    const kept = ids.filter((id) => !isExcludedAccount(id) && (org.includeAccounts.length === 0 || org.includeAccounts.includes(id)));
    if (kept.length > 0) instances.push({ organizationalUnitIds: [ou], accounts: kept.sort(), accountFilterType: 'INTERSECTION' });
  }
  if (instances.length === 0) {
    throw new StackSetScopeError(
      'organization: the scope leaves no OU or account for the member-role StackSet: check includeOus, excludeOus, includeAccounts and excludeAccounts',
    );
  }
  return { instances, neverTargeted, notes };
}
