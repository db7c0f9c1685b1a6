/**
 * What the handler needs to know at run time, derived from the config and the
 * scoped inventory, shipped in the zip as cloudmend.runtime.json.
 */
import { createHash } from 'node:crypto';
import type { ScopedInventory } from '../config/inventory';
import { partitionOf } from '../config/regions';
import { RuntimeConfig } from '../config/runtime';
import type { CloudmendConfig } from '../config/schema';
import { MAPPED_SOURCES } from '../config/sources';
import { RuntimeConfigBuildError } from './errors';
import { stableStringify } from './stable-json';

export function resolveEnabledBots(config: CloudmendConfig, botNames: readonly string[]): string[] {
  if (config.bots.enabled === 'all') return [...botNames].sort();
  const known = new Set(botNames);
  const unknown = config.bots.enabled.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new RuntimeConfigBuildError(`bots.enabled names unknown bots: ${unknown.join(', ')}`);
  return [...new Set(config.bots.enabled)].sort();
}

const sortedRecord = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function buildRuntimeConfig(
  config: CloudmendConfig,
  inventory: Pick<ScopedInventory, 'accounts' | 'regions' | 'organizationId'>,
  botNames: readonly string[],
): RuntimeConfig {
  const enabledBots = resolveEnabledBots(config, botNames);
  return RuntimeConfig.parse({
    version: 1,
    mode: config.mode,
    securityAccount: config.securityAccount,
    enabledBots,
    optIn: [...config.bots.optIn].sort(),
    params: sortedRecord(config.bots.params),
    sources: config.sources,
    mappings: Object.fromEntries(MAPPED_SOURCES.map(({ mapping }) => [mapping.key, sortedRecord(config.mappings[mapping.key])])),
    exclusionTag: config.exclusionTag,
    memberRoleName: config.roles.memberRoleName,
    externalId: config.roles.externalId,
    ...runtimeScope(config, inventory),
    regions: [...inventory.regions].sort(),
    report: config.report,
    limits: config.limits,
    trust: trustFor(config, inventory.regions),
  });
}

/** stackset mode: the rules, not the accounts (a new account needs no redeploy); terraform mode: the accounts that got a role. */
function runtimeScope(config: CloudmendConfig, inventory: Pick<ScopedInventory, 'accounts' | 'organizationId'>) {
  if (config.roles.deployment === 'stackset' && inventory.organizationId) {
    const management = config.organization.managementAccount;
    return {
      scope: {
        organizationId: inventory.organizationId,
        includeAccounts: [...config.organization.includeAccounts].sort(),
        excludeAccounts: [...config.organization.excludeAccounts].sort(),
        ...(management ? { managementAccount: management } : {}),
      },
    };
  }
  return { accounts: Object.fromEntries([...inventory.accounts].sort((a, b) => a.id.localeCompare(b.id)).map((a) => [a.id, a.ouPath])) };
}

/** The allow-lists, refused when an ARN is of another partition than the regions cloudmend runs in. */
function trustFor(config: CloudmendConfig, regions: readonly string[]): RuntimeConfig['trust'] {
  const partition = regions[0] ? partitionOf(regions[0]) : undefined;
  for (const [key, arns] of Object.entries(config.trust)) {
    const other = arns.find((arn) => partition !== undefined && arn.split(':')[1] !== partition);
    if (other) throw new RuntimeConfigBuildError(`trust.${key}: ${other} is not in partition ${partition}, where cloudmend runs`);
  }
  return { allowedDestinations: [...config.trust.allowedDestinations].sort(), allowedKmsKeys: [...config.trust.allowedKmsKeys].sort() };
}

/** The bytes written into the zip; the digest of these is what the Lambda environment names. */
export function serializeRuntimeConfig(runtime: RuntimeConfig): string {
  return `${stableStringify(runtime)}\n`;
}

export function runtimeConfigDigest(runtime: RuntimeConfig): string {
  return createHash('sha256').update(serializeRuntimeConfig(runtime)).digest('hex');
}
