/**
 * Is the finding's account in scope, from what the runtime config can tell
 * without a call: the account list (terraform mode) or the scope rules
 * (stackset mode). In stackset mode an account that passes is a candidate:
 * assuming its member role decides the rest (outside the organization the
 * handler's own policy refuses; outside the in-scope OUs there is no role),
 * and credentials.ts reports that as "not in scope" too.
 */
import type { RuntimeConfig } from '../config/runtime';

export function accountOutOfScope(
  account: string,
  config: Pick<RuntimeConfig, 'accounts' | 'scope' | 'securityAccount'>,
): string | undefined {
  const settings = 'organization include/exclude settings in cloudmend.yaml';
  if (config.accounts) return account in config.accounts ? undefined : `account ${account} is not in scope (${settings})`;
  if (account === config.securityAccount) return undefined;
  const scope = config.scope;
  if (!scope)
    return `account ${account} is not in scope: the runtime config names neither accounts nor scope rules; re-synthesize and deploy`;
  if (scope.excludeAccounts.includes(account)) return `account ${account} is not in scope: listed in organization.excludeAccounts`;
  if (scope.includeAccounts.length > 0 && !scope.includeAccounts.includes(account)) {
    return `account ${account} is not in scope: organization.includeAccounts does not list it`;
  }
  if (account === scope.managementAccount) return `account ${account} is not in scope: it is the management account`;
  return undefined;
}
