/**
 * Live discovery: the organization's OU tree and accounts (AWS Organizations)
 * and the regions enabled for the calling account (EC2 DescribeRegions). Run
 * with credentials of the management or a delegated administrator account;
 * the result is written to the inventory file that synth reads offline.
 *
 * Organizations allows only a few requests per second per account, so clients
 * use adaptive retry (client-side rate limiting plus backoff) with up to 10
 * attempts, and the tree is walked one call at a time.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Inventory, InventoryAccount } from './inventory';
import { normalizeInventory } from './inventory';
import { partitionOf } from './regions';

export type DiscoverProgress =
  | { phase: 'organization'; organizationId: string }
  | { phase: 'ous'; found: number; path: string }
  | { phase: 'accounts'; found: number; path: string }
  | { phase: 'regions'; found: number };

export interface DiscoverOptions {
  /** Region for the EC2 DescribeRegions call (the security account's home region). */
  region?: string | undefined;
  onProgress?: (progress: DiscoverProgress) => void;
  /** Injected clients (tests); default: new clients with adaptive retry. */
  organizations?: OrganizationsClient;
  ec2?: EC2Client;
  now?: () => Date;
}

export const DISCOVERY_RETRY = { retryMode: 'adaptive', maxAttempts: 10 } as const;

const ACCOUNT_STATES = new Set(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export async function discoverInventory(options: DiscoverOptions = {}): Promise<Inventory> {
  const org = await import('@aws-sdk/client-organizations');
  const ec2sdk = await import('@aws-sdk/client-ec2');
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  // Organizations is a global service served from us-east-1 in the aws partition.
  const organizations = options.organizations ?? new org.OrganizationsClient({ region: 'us-east-1', ...DISCOVERY_RETRY });
  const ec2 = options.ec2 ?? new ec2sdk.EC2Client({ region, ...DISCOVERY_RETRY });
  const progress = options.onProgress ?? (() => {});

  const described = await organizations.send(new org.DescribeOrganizationCommand({}));
  const organizationId = described.Organization?.Id;
  // Recorded so synth keeps it out of scope: it has no OrganizationAccountAccessRole and StackSets cannot reach it.
  const managementAccountId = described.Organization?.MasterAccountId;
  if (organizationId) progress({ phase: 'organization', organizationId });

  const roots = [];
  for await (const page of org.paginateListRoots({ client: organizations }, {})) roots.push(...(page.Roots ?? []));

  const accounts: InventoryAccount[] = [];
  let ouCount = 0;
  // Depth-first, one request at a time: the tree is walked within the Organizations rate limit.
  const visit = async (parentId: string, path: string, ids: string[]): Promise<void> => {
    for await (const page of org.paginateListAccountsForParent({ client: organizations }, { ParentId: parentId })) {
      for (const account of page.Accounts ?? []) {
        if (!account.Id) continue;
        const state = String(account.State ?? account.Status ?? 'ACTIVE');
        accounts.push({
          id: account.Id,
          name: account.Name ?? account.Id,
          ouPath: path,
          ouIds: ids,
          status: (ACCOUNT_STATES.has(state) ? state : 'SUSPENDED') as InventoryAccount['status'],
        });
      }
      progress({ phase: 'accounts', found: accounts.length, path });
    }
    const children = [];
    for await (const page of org.paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId: parentId })) {
      children.push(...(page.OrganizationalUnits ?? []));
    }
    for (const ou of children) {
      if (!ou.Id) continue;
      ouCount += 1;
      const childPath = `${path}/${ou.Name ?? ou.Id}`;
      progress({ phase: 'ous', found: ouCount, path: childPath });
      await visit(ou.Id, childPath, [...ids, ou.Id]);
    }
  };
  for (const root of roots) {
    if (root.Id) await visit(root.Id, root.Name ?? 'Root', [root.Id]);
  }

  const enabledRegions = await ec2.send(new ec2sdk.DescribeRegionsCommand({ AllRegions: true }));
  const regions = (enabledRegions.Regions ?? [])
    .filter((r) => r.OptInStatus === 'opt-in-not-required' || r.OptInStatus === 'opted-in')
    .map((r) => r.RegionName)
    .filter((name): name is string => Boolean(name))
    // One deployment is one partition; emulators list China and GovCloud regions too.
    .filter((name) => partitionOf(name) === partitionOf(region));
  progress({ phase: 'regions', found: regions.length });

  return normalizeInventory({
    version: 1,
    source: 'discovered',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    ...(organizationId ? { organizationId } : {}),
    ...(managementAccountId ? { managementAccountId } : {}),
    accounts,
    regions,
  });
}
