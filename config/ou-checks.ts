/**
 * `includeOus` / `excludeOus` entries that match no OU of a known tree: a
 * typo there silently widens or narrows the scope, so it is an error with the
 * closest OU. The tree is known for a static account list (their `ou` paths
 * and every OU above them) and for OU ids named in `organization.ouIds`; with
 * discovery the tree comes from the inventory, checked when it is read.
 */
import { closestMatch } from '../bots/suggest';
import type { CloudmendConfig } from './schema';

export interface OuIssue {
  path: (string | number)[];
  message: string;
}

/** Every OU path the static accounts sit in, with the OUs above them: `Root/Workloads/Prod` gives `Root`, `Root/Workloads`, `Root/Workloads/Prod`. */
function knownPaths(config: CloudmendConfig): Set<string> {
  const paths = new Set<string>();
  for (const { ou } of config.organization.accounts) {
    const parts = ou.split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
  }
  return paths;
}

export function ouIssues(config: CloudmendConfig): OuIssue[] {
  const { organization } = config;
  // Discovered organizations are checked against the inventory, not here.
  if (organization.discover || organization.inventoryFile || organization.accounts.length === 0) return [];
  const paths = knownPaths(config);
  const ids = new Set(Object.values(organization.ouIds));
  const issues: OuIssue[] = [];
  for (const list of ['includeOus', 'excludeOus'] as const) {
    organization[list].forEach((entry, index) => {
      const isId = /^(ou-|r-)/.test(entry);
      if (isId ? ids.size === 0 || ids.has(entry) : paths.has(entry)) return;
      const candidates = isId ? ids : paths;
      const close = closestMatch(entry, candidates);
      issues.push({
        path: ['organization', list, index],
        message:
          `${entry} matches no OU of the organization.accounts here${close ? `; did you mean "${close}"?` : '.'}` +
          ` Known: ${[...candidates].sort().join(', ')}`,
      });
    });
  }
  return issues;
}
