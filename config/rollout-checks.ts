/**
 * What can be told wrong about the org rollout from cloudmend.yaml alone, so
 * the loader reports it at its file:line with the fix: a StackSet rollout with
 * nothing to target or no organization to bound it, the management account
 * among the targets, regions of several partitions. What needs the inventory
 * (a discovered organization) is checked at synth (stacks/stackset-targets.ts).
 */
import type { z } from 'zod';
import { partitionOf } from './regions';

interface RolloutInput {
  regions: { include: 'all-enabled' | string[] };
  organization: {
    id?: string | undefined;
    discover: boolean;
    inventoryFile?: string | undefined;
    accounts: Array<{ ou: string }>;
    ouIds: Record<string, string>;
    includeOus: string[];
    excludeOus: string[];
    includeAccounts: string[];
    managementAccount?: string | undefined;
  };
  roles: {
    deployment: 'stackset' | 'terraform';
    memberRoleName: string;
    stackSet: { targetOus: string[] };
    migration?: { previousRoleName: string; phase: 'keep' | 'retire' } | undefined;
  };
}

const isOuId = (ou: string) => /^(ou-|r-)[^/]*$/.test(ou);

export interface RolloutIssue {
  path: (string | number)[];
  message: string;
}

/** Always wrong, whatever is synthesized: part of the schema. */
export function checkPartitions(config: Pick<RolloutInput, 'regions'>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (Array.isArray(config.regions.include)) {
    const first = config.regions.include[0];
    config.regions.include.forEach((region, i) => {
      if (first && partitionOf(region) !== partitionOf(first)) {
        issue(
          ['regions', 'include', i],
          `${region} is in partition ${partitionOf(region)}, ${first} in ${partitionOf(first)}: one deployment is one partition; deploy each partition with its own config`,
        );
      }
    });
  }
}

/**
 * What a stackset rollout needs from a config: checked when synthesizing
 * (loadConfig with `rollout: true`), so commands that only read the config
 * (invoke, policy) accept a config still being written.
 */
export function rolloutIssues(config: RolloutInput): RolloutIssue[] {
  const issues: RolloutIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });
  const org = config.organization;
  if (config.roles.migration && config.roles.deployment !== 'stackset') {
    issue(['roles', 'migration'], 'roles.migration moves a terraform-mode deployment to stackset mode: set roles.deployment: stackset too');
  }
  if (config.roles.migration?.previousRoleName === config.roles.memberRoleName) {
    issue(
      ['roles', 'migration', 'previousRoleName'],
      `the StackSet would create ${config.roles.memberRoleName} where Terraform already did (EntityAlreadyExists): give roles.memberRoleName a new name for the migration`,
    );
  }
  if (config.roles.deployment !== 'stackset') return issues;
  org.includeAccounts.forEach((id, i) => {
    if (id === org.managementAccount) {
      issue(
        ['organization', 'includeAccounts', i],
        `${id} is the management account, which a service-managed StackSet cannot deploy to: remove it, or use roles.deployment: terraform to give it a role`,
      );
    }
  });
  // A discovered inventory carries the organization id and OU ids; a static config must say them.
  if (org.discover || org.inventoryFile) return issues;
  if (!org.id) {
    issue(
      ['organization', 'id'],
      'roles.deployment: stackset needs the organization id ("o-..."), which bounds the member roles the handler may assume: add it, or use roles.deployment: terraform',
    );
  }
  if (config.roles.stackSet.targetOus.length > 0) return issues;
  const known = (ou: string) => isOuId(ou) || ou in org.ouIds;
  org.includeOus.forEach((ou, i) => {
    if (!known(ou))
      issue(['organization', 'includeOus', i], `StackSets target OU ids: name "${ou}" by id, or map it in organization.ouIds`);
  });
  org.excludeOus.forEach((ou, i) => {
    if (!known(ou)) {
      issue(
        ['organization', 'excludeOus', i],
        `to carve "${ou}" out of the StackSet targets its id is needed: name it by id, or map it in organization.ouIds`,
      );
    }
  });
  if (org.includeOus.length === 0) {
    const roots = [...new Set(org.accounts.map((a) => a.ou.split('/')[0] ?? a.ou))].filter((root) => !known(root));
    if (roots.length > 0) {
      issue(
        ['organization', 'ouIds'],
        `StackSets target OU ids: map the root (${roots.join(', ')}) and the OUs on the accounts' paths in organization.ouIds, set organization.includeOus to OU ids, or use roles.deployment: terraform`,
      );
    }
  }
  return issues;
}
