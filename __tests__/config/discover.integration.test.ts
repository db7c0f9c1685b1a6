import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { discoverInventory } from '../../config/discover';
import { describeMoto } from '../support/moto';

const NOW = () => new Date('2025-06-01T12:00:00.000Z');

describeMoto('discoverInventory against moto', () => {
  it('finds the OU tree and the accounts created in it', async () => {
    const client = new OrganizationsClient({ region: 'us-east-1' });
    await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!;
    const workloads = (await client.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit!
      .Id!;
    const prod = (await client.send(new CreateOrganizationalUnitCommand({ ParentId: workloads, Name: 'Prod' }))).OrganizationalUnit!.Id!;
    const created = await client.send(new CreateAccountCommand({ AccountName: 'payments-prod', Email: 'payments@example.com' }));
    const accountId = created.CreateAccountStatus!.AccountId!;
    await client.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: prod }));

    const inventory = await discoverInventory({ region: 'eu-west-1', now: NOW });

    expect(inventory.organizationId).toMatch(/^o-/);
    const payments = inventory.accounts.find((a) => a.id === accountId);
    expect(payments).toEqual({
      id: accountId,
      name: 'payments-prod',
      ouPath: 'Root/Workloads/Prod',
      ouIds: [rootId, workloads, prod],
      status: 'ACTIVE',
    });
    const management = inventory.accounts.find((a) => a.id !== accountId);
    expect(management).toMatchObject({ ouPath: 'Root', ouIds: [rootId], status: 'ACTIVE' });
    expect(inventory.regions).toContain('eu-west-1');
    expect(inventory.regions.every((r) => !r.startsWith('cn-') && !r.startsWith('us-gov-'))).toBe(true);
  });
});
