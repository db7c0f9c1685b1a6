import { Readable } from 'node:stream';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { discoverInventory, DISCOVERY_RETRY, type DiscoverProgress } from '../../config/discover';

const NOW = () => new Date('2025-06-01T12:00:00.000Z');

describe('discoverInventory (mocked SDK)', () => {
  const org = mockClient(OrganizationsClient);
  const ec2 = mockClient(EC2Client);
  afterAll(() => {
    org.restore();
    ec2.restore();
  });
  beforeEach(() => {
    org.reset();
    ec2.reset();
    org.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-abc1234567' } });
    org.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12', Name: 'Root' }] });
    org.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
    org.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-ab12' }).resolves({
      OrganizationalUnits: [{ Id: 'ou-ab12-11111111', Name: 'Workloads' }],
    });
    org.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'opted-in' },
        { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
      ],
    });
  });

  it("follows NextToken through every page of accounts and records each account's OU path, OU ids and state", async () => {
    // The paginator reuses one input object, so inputs are copied as they arrive.
    const pages: unknown[] = [];
    org.on(ListAccountsForParentCommand).callsFake((input: { ParentId: string; NextToken?: string }) => {
      pages.push(JSON.parse(JSON.stringify(input)));
      if (input.ParentId === 'r-ab12') return { Accounts: [{ Id: '111111111111', Name: 'mgmt', State: 'ACTIVE' }] };
      return input.NextToken === 'page-2'
        ? { Accounts: [{ Id: '333333333333', Name: 'b', Status: 'SUSPENDED' }] }
        : { Accounts: [{ Id: '222222222222', Name: 'a', State: 'ACTIVE' }], NextToken: 'page-2' };
    });
    const progress: DiscoverProgress[] = [];
    const inventory = await discoverInventory({
      organizations: new OrganizationsClient({}),
      ec2: new EC2Client({}),
      now: NOW,
      onProgress: (p) => progress.push(p),
    });

    expect(inventory).toEqual({
      version: 1,
      source: 'discovered',
      generatedAt: '2025-06-01T12:00:00.000Z',
      organizationId: 'o-abc1234567',
      accounts: [
        { id: '111111111111', name: 'mgmt', ouPath: 'Root', ouIds: ['r-ab12'], status: 'ACTIVE' },
        { id: '222222222222', name: 'a', ouPath: 'Root/Workloads', ouIds: ['r-ab12', 'ou-ab12-11111111'], status: 'ACTIVE' },
        { id: '333333333333', name: 'b', ouPath: 'Root/Workloads', ouIds: ['r-ab12', 'ou-ab12-11111111'], status: 'SUSPENDED' },
      ],
      regions: ['af-south-1', 'us-east-1'],
    });
    expect(pages).toEqual([
      { ParentId: 'r-ab12' },
      { ParentId: 'ou-ab12-11111111' },
      { ParentId: 'ou-ab12-11111111', NextToken: 'page-2' },
    ]);
    expect(ec2.commandCalls(DescribeRegionsCommand)[0]!.args[0].input).toEqual({ AllRegions: true });
    expect(progress).toContainEqual({ phase: 'ous', found: 1, path: 'Root/Workloads' });
    expect(progress.at(-1)).toEqual({ phase: 'regions', found: 2 });
  });
});

/** A transport that answers Organizations JSON calls from a script, so the SDK's real retry logic runs. */
function scriptedTransport(script: Array<{ status: number; body: unknown; type?: string }>) {
  const targets: string[] = [];
  return {
    targets,
    handler: {
      async handle(request: { headers: Record<string, string> }) {
        targets.push(String(request.headers['x-amz-target']));
        const next = script.shift();
        if (!next) throw new Error('transport script exhausted');
        return {
          // Shaped like @smithy/protocol-http's HttpResponse, which is not a direct dependency.
          response: {
            statusCode: next.status,
            headers: { 'content-type': 'application/x-amz-json-1.1', ...(next.type ? { 'x-amzn-errortype': next.type } : {}) },
            body: Readable.from([Buffer.from(JSON.stringify(next.body))]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

describe('discoverInventory under Organizations throttling', () => {
  it('retries TooManyRequestsException with the adaptive strategy and still completes', async () => {
    const throttled = {
      status: 400,
      type: 'TooManyRequestsException',
      body: { __type: 'TooManyRequestsException', Message: 'Rate exceeded' },
    };
    const transport = scriptedTransport([
      { status: 200, body: { Organization: { Id: 'o-abc1234567' } } },
      throttled,
      { status: 200, body: { Roots: [{ Id: 'r-ab12', Name: 'Root' }] } },
      throttled,
      { status: 200, body: { Accounts: [{ Id: '111111111111', Name: 'mgmt', State: 'ACTIVE' }] } },
      { status: 200, body: { OrganizationalUnits: [] } },
    ]);
    const organizations = new OrganizationsClient({
      region: 'us-east-1',
      endpoint: 'https://organizations.test',
      requestHandler: transport.handler,
      ...DISCOVERY_RETRY,
    });
    const ec2 = mockClient(EC2Client);
    ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' }] });
    try {
      const inventory = await discoverInventory({ organizations, ec2: new EC2Client({}), now: NOW });
      expect(inventory.accounts.map((a) => a.id)).toEqual(['111111111111']);
      expect(transport.targets).toEqual([
        'AWSOrganizationsV20161128.DescribeOrganization',
        'AWSOrganizationsV20161128.ListRoots',
        'AWSOrganizationsV20161128.ListRoots',
        'AWSOrganizationsV20161128.ListAccountsForParent',
        'AWSOrganizationsV20161128.ListAccountsForParent',
        'AWSOrganizationsV20161128.ListOrganizationalUnitsForParent',
      ]);
    } finally {
      ec2.restore();
    }
  });
});
