import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InventoryError } from '../../config/errors';
import { CloudmendConfig, type CloudmendConfigInput } from '../../config/schema';
import {
  accountInOu,
  type Inventory,
  loadInventory,
  readInventoryFile,
  scopeInventory,
  serializeInventory,
  staticInventory,
  writeInventoryFile,
} from '../../config/inventory';

const SECURITY = '111111111111';

function config(
  organization: Partial<CloudmendConfigInput['organization']> = {},
  regions?: CloudmendConfigInput['regions'],
): CloudmendConfig {
  return CloudmendConfig.parse({
    securityAccount: SECURITY,
    bots: { enabled: 'all' },
    ...(regions ? { regions } : {}),
    organization: {
      accounts: [
        { id: '111111111111', name: 'security', ou: 'Root/Security' },
        { id: '222222222222', name: 'prod-a', ou: 'Root/Workloads/Prod' },
        { id: '333333333333', name: 'dev-a', ou: 'Root/Workloads/Dev' },
        { id: '444444444444', name: 'sandbox', ou: 'Root/Sandbox' },
        { id: '555555555555', name: 'old', ou: 'Root/Workloads/Prod', status: 'SUSPENDED' },
      ],
      ...organization,
    },
  });
}

const discovered: Inventory = {
  version: 1,
  source: 'discovered',
  generatedAt: '2025-01-01T00:00:00.000Z',
  organizationId: 'o-abcdef1234',
  accounts: [
    {
      id: '333333333333',
      name: 'dev-a',
      ouPath: 'Root/Workloads/Dev',
      ouIds: ['r-ab12', 'ou-ab12-aaaaaaaa', 'ou-ab12-dddddddd'],
      status: 'ACTIVE',
    },
    { id: '111111111111', name: 'security', ouPath: 'Root/Security', ouIds: ['r-ab12', 'ou-ab12-ssssssss'], status: 'ACTIVE' },
    {
      id: '222222222222',
      name: 'prod-a',
      ouPath: 'Root/Workloads/Prod',
      ouIds: ['r-ab12', 'ou-ab12-aaaaaaaa', 'ou-ab12-pppppppp'],
      status: 'ACTIVE',
    },
    {
      id: '666666666666',
      name: 'closed',
      ouPath: 'Root/Workloads/Prod',
      ouIds: ['r-ab12', 'ou-ab12-aaaaaaaa', 'ou-ab12-pppppppp'],
      status: 'CLOSED',
    },
  ],
  regions: ['us-east-1', 'eu-west-1', 'af-south-1'],
};

const ids = (scoped: { accounts: { id: string }[] }) => scoped.accounts.map((a) => a.id);

describe('staticInventory', () => {
  it('takes accounts from organization.accounts, sorted by id, and the listed regions', () => {
    const inventory = staticInventory(config({}, { include: ['us-west-2', 'eu-west-1'], exclude: [] }));
    expect(inventory.source).toBe('static');
    expect(inventory.generatedAt).toBeUndefined();
    expect(inventory.accounts.map((a) => a.id)).toEqual(['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']);
    expect(inventory.accounts[1]).toEqual({
      id: '222222222222',
      name: 'prod-a',
      ouPath: 'Root/Workloads/Prod',
      ouIds: [],
      status: 'ACTIVE',
    });
    expect(inventory.regions).toEqual(['eu-west-1', 'us-west-2']);
  });

  it('assumes the 17 default regions for all-enabled, since opt-in regions are unknown without discovery', () => {
    const inventory = staticInventory(config());
    expect(inventory.regions).toHaveLength(17);
    expect(inventory.regions).not.toContain('af-south-1');
  });

  it('carries organization.id, so a static config can limit the handler role by aws:ResourceOrgID', () => {
    expect(staticInventory(config({ id: 'o-a1b2c3d4e5' })).organizationId).toBe('o-a1b2c3d4e5');
    expect(staticInventory(config()).organizationId).toBeUndefined();
  });
});

describe('scopeInventory', () => {
  it('skips suspended accounts with a note and keeps the rest', () => {
    const scoped = scopeInventory(staticInventory(config()), config());
    expect(ids(scoped)).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
    expect(scoped.notes).toContain('skipped 555555555555 (old): account is suspended');
  });

  it('excludes OUs by path prefix, and never the security account', () => {
    const c = config({ excludeOus: ['Root/Workloads', 'Root/Security'] });
    const scoped = scopeInventory(staticInventory(c), c);
    expect(ids(scoped)).toEqual(['111111111111', '444444444444']);
    expect(scoped.notes).toContain('excluded 222222222222 (prod-a): under excluded OU Root/Workloads');
  });

  it('does not treat a sibling OU sharing a name prefix as inside the OU', () => {
    expect(accountInOu({ ouPath: 'Root/Workloads2/Prod', ouIds: [] }, 'Root/Workloads')).toBe(false);
    expect(accountInOu({ ouPath: 'Root/Workloads', ouIds: [] }, 'Root/Workloads')).toBe(true);
  });

  it('includes only the listed OUs (plus the security account)', () => {
    const c = config({ includeOus: ['Root/Workloads/Dev'] });
    expect(ids(scopeInventory(staticInventory(c), c))).toEqual(['111111111111', '333333333333']);
  });

  it('matches OUs by id against a discovered inventory, including "ou-id/Child" paths', () => {
    const byId = config({ includeOus: ['ou-ab12-aaaaaaaa'], excludeOus: ['ou-ab12-aaaaaaaa/Dev'] });
    const scoped = scopeInventory(discovered, byId);
    expect(ids(scoped)).toEqual(['111111111111', '222222222222']);
    expect(scoped.notes).toContain('skipped 666666666666 (closed): account is closed');
    expect(scoped.notes).toContain('excluded 333333333333 (dev-a): under excluded OU ou-ab12-aaaaaaaa/Dev');
    expect(scoped.organizationId).toBe('o-abcdef1234');
  });

  it('applies include and exclude account lists', () => {
    const c = config({ includeAccounts: ['222222222222', '333333333333', '999999999999'], excludeAccounts: ['333333333333'] });
    const scoped = scopeInventory(staticInventory(c), c);
    expect(ids(scoped)).toEqual(['111111111111', '222222222222']);
    expect(scoped.notes).toContain('excluded 333333333333 (dev-a): listed in organization.excludeAccounts');
    expect(scoped.notes).toContain('organization.includeAccounts names 999999999999, which is not in the inventory');
  });

  it('adds the security account with a note when the inventory lacks it', () => {
    const c = CloudmendConfig.parse({
      securityAccount: '999999999999',
      bots: { enabled: 'all' },
      organization: { accounts: [{ id: '222222222222', name: 'a', ou: 'Root' }] },
    });
    const scoped = scopeInventory(staticInventory(c), c);
    expect(ids(scoped)).toEqual(['222222222222', '999999999999']);
    expect(scoped.notes).toContain('security account 999999999999 is not in the inventory; included anyway');
  });

  it('uses every enabled region for all-enabled, minus excludes', () => {
    const c = config({}, { include: 'all-enabled', exclude: ['eu-west-1'] });
    expect(scopeInventory(discovered, c).regions).toEqual(['af-south-1', 'us-east-1']);
  });

  it('skips listed regions that discovery found disabled, with a note', () => {
    const c = config({}, { include: ['us-east-1', 'ap-east-1'], exclude: [] });
    const scoped = scopeInventory(discovered, c);
    expect(scoped.regions).toEqual(['us-east-1']);
    expect(scoped.notes).toContain('skipped region ap-east-1: not enabled in the security account (opt in to it first)');
  });
});

describe('inventory file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudmend-inventory-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, sorted and stable whatever the input order', () => {
    const file = join(dir, 'inventory.json');
    writeInventoryFile(file, discovered);
    const text = readFileSync(file, 'utf8');
    expect(readInventoryFile(file)).toEqual(JSON.parse(text));
    const shuffled = { ...discovered, accounts: [...discovered.accounts].reverse(), regions: [...discovered.regions].reverse() };
    expect(serializeInventory(shuffled)).toBe(text);
    expect(JSON.parse(text).accounts.map((a: { id: string }) => a.id)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '666666666666',
    ]);
    expect(JSON.parse(text).regions).toEqual(['af-south-1', 'eu-west-1', 'us-east-1']);
  });

  it('tells the user how to create a missing file', () => {
    expect(() => readInventoryFile(join(dir, 'nope.json'))).toThrow(InventoryError);
    expect(() => readInventoryFile(join(dir, 'nope.json'))).toThrow(/run `npx cloudmend discover --out .*nope.json` to create it/);
  });

  it('names the bad field of a malformed file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...discovered, accounts: [{ ...discovered.accounts[0], id: '12' }] }));
    expect(() => readInventoryFile(file)).toThrow(/bad.json: accounts.0.id: .*regenerate it with `npx cloudmend discover`/);
    writeFileSync(file, '{');
    expect(() => readInventoryFile(file)).toThrow(/is not valid JSON/);
  });

  it('loadInventory reads inventory.json next to the config when discovering, else the static list', () => {
    writeInventoryFile(join(dir, 'inventory.json'), discovered);
    const discovering = config({ discover: true, accounts: [] });
    expect(loadInventory(discovering, join(dir, 'cloudmend.yaml')).inventory.source).toBe('discovered');
    expect(loadInventory(config(), join(dir, 'cloudmend.yaml')).inventory.source).toBe('static');
  });
});
