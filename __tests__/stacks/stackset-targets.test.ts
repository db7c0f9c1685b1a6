import type { Inventory } from '../../config/inventory';
import { resolveOuId, stackSetTargets } from '../../stacks/stackset-targets';
import { fixtureConfig } from './fixtures/deployment';

/** Root holds one account directly; Workloads holds Prod and Dev; Sandbox is excluded below the root. */
const inventory: Pick<Inventory, 'accounts'> = {
  accounts: [
    { id: '111111111111', name: 'security', ouPath: 'Root/Security', ouIds: ['r-ab12', 'ou-ab12-security'], status: 'ACTIVE' },
    { id: '100000000000', name: 'legacy', ouPath: 'Root', ouIds: ['r-ab12'], status: 'ACTIVE' },
    {
      id: '222222222222',
      name: 'prod',
      ouPath: 'Root/Workloads/Prod',
      ouIds: ['r-ab12', 'ou-ab12-workload', 'ou-ab12-prod0001'],
      status: 'ACTIVE',
    },
    {
      id: '333333333333',
      name: 'dev',
      ouPath: 'Root/Workloads/Dev',
      ouIds: ['r-ab12', 'ou-ab12-workload', 'ou-ab12-dev00001'],
      status: 'ACTIVE',
    },
    { id: '555555555555', name: 'sandbox', ouPath: 'Root/Sandbox', ouIds: ['r-ab12', 'ou-ab12-sandbox1'], status: 'ACTIVE' },
  ],
};
const config = (organization: Record<string, unknown> = {}) => {
  const base = fixtureConfig();
  return fixtureConfig({
    organization: { ...base.organization, excludeOus: ['Root/Sandbox'], excludeAccounts: [], ...organization } as never,
    roles: { ...base.roles, deployment: 'stackset' } as never,
  });
};

describe('stackSetTargets', () => {
  it('resolves OU paths to ids through the inventory chains', () => {
    expect(resolveOuId('Root/Workloads', inventory.accounts)).toBe('ou-ab12-workload');
    expect(resolveOuId('ou-ab12-prod0001', inventory.accounts)).toBe('ou-ab12-prod0001');
    expect(resolveOuId('Root/Nowhere', inventory.accounts)).toBeUndefined();
  });

  it('carves an excluded OU out of the root: its siblings by OU, the root’s own accounts by id', () => {
    const targets = stackSetTargets(config(), inventory);
    expect(targets.instances).toEqual([
      { organizationalUnitIds: ['ou-ab12-security', 'ou-ab12-workload'], accounts: ['111111111111'], accountFilterType: 'DIFFERENCE' },
      { organizationalUnitIds: ['r-ab12'], accounts: ['100000000000'], accountFilterType: 'INTERSECTION' },
    ]);
    expect(targets.notes.join('\n')).toMatch(/r-ab12 holds an excluded OU, so its 1 direct account\(s\) are targeted by id/);
  });

  it('targets the included OUs only, and only the included accounts when listed', () => {
    expect(stackSetTargets(config({ includeOus: ['Root/Workloads/Prod'] }), inventory).instances).toEqual([
      { organizationalUnitIds: ['ou-ab12-prod0001'] },
    ]);
    expect(stackSetTargets(config({ includeOus: ['Root/Workloads'], includeAccounts: ['333333333333'] }), inventory).instances).toEqual([
      { organizationalUnitIds: ['ou-ab12-workload'], accounts: ['333333333333'], accountFilterType: 'INTERSECTION' },
    ]);
  });

  it('refuses a scope that leaves nothing to target', () => {
    expect(() => stackSetTargets(config({ includeOus: ['Root/Sandbox'] }), inventory)).toThrow(/leaves no OU or account/);
  });
});
