import { shardAccounts } from '../../stacks/member-role-stack';
import { fixtureConfig, resources, synthDeployment } from './fixtures/deployment';

const account = (n: number) => ({
  id: String(100000000000 + n * 7919),
  name: `a${n}`,
  ouPath: 'Root',
  ouIds: [],
  status: 'ACTIVE' as const,
});

describe('shardAccounts', () => {
  it('puts every account in exactly one shard of about accountsPerStack', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => account(i));
    const shards = shardAccounts(accounts, 40);
    expect(shards.flatMap((s) => s.accounts.map((a) => a.id)).sort()).toEqual(accounts.map((a) => a.id).sort());
    expect(shards.length).toBe(32);
    expect(Math.max(...shards.map((s) => s.accounts.length))).toBeLessThan(60);
  });

  it('moves no existing account to another shard when an account joins', () => {
    const before = Array.from({ length: 500 }, (_, i) => account(i));
    const where = (shards: ReturnType<typeof shardAccounts>) =>
      new Map(shards.flatMap((s) => s.accounts.map((a) => [a.id, s.name] as const)));
    const old = where(shardAccounts(before, 40));
    const now = where(shardAccounts([...before, account(9999)], 40));
    for (const [id, shard] of old) expect(now.get(id)).toBe(shard);
  });

  it('keeps a fixed shard count (sharding.shards) however the organization grows', () => {
    const where = (shards: ReturnType<typeof shardAccounts>) =>
      new Map(shards.flatMap((s) => s.accounts.map((a) => [a.id, s.name] as const)));
    const small = Array.from({ length: 100 }, (_, i) => account(i));
    const grown = [...small, ...Array.from({ length: 900 }, (_, i) => account(1000 + i))];
    const before = where(shardAccounts(small, 40, 16));
    const after = where(shardAccounts(grown, 40, 16));
    for (const [id, shard] of before) expect(after.get(id)).toBe(shard);
    expect(new Set(after.values()).size).toBe(16);
  });
});

describe('MemberRoleStack', () => {
  const deployment = synthDeployment(fixtureConfig());
  const shard = deployment.stacks.find((s) => resources(s, 'aws_iam_role').some((r) => r.provider === 'aws.a222222222222'))!;

  it('reaches a member account through its own provider assuming the bootstrap role, pinned to that account', () => {
    expect(shard.tf.provider!.aws).toContainEqual(
      expect.objectContaining({
        alias: 'a222222222222',
        allowed_account_ids: ['222222222222'],
        assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', session_name: 'cloudmend-deployer' }],
      }),
    );
  });

  it("reaches the security account with the deployer's own credentials", () => {
    const security = deployment.stacks.flatMap((s) => s.tf.provider?.aws ?? []).find((p) => p.alias === 'a111111111111');
    expect(security).toBeDefined();
    expect(security.assume_role).toBeUndefined();
  });

  it('creates the named role trusting exactly the handler roles with the external id, and attaches every generated policy', () => {
    const role = resources(shard, 'aws_iam_role').find((r) => r.provider === 'aws.a222222222222')!;
    expect(role.name).toBe('CloudmendRemediation');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudmendHandlers',
          Effect: 'Allow',
          Principal: {
            AWS: [
              'arn:aws:iam::111111111111:role/cloudmend-handler-eu-west-1',
              'arn:aws:iam::111111111111:role/cloudmend-handler-us-east-1',
            ],
          },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'cloudmend-test' } },
        },
      ],
    });
    const policies = resources(shard, 'aws_iam_policy').filter((p) => p.provider === 'aws.a222222222222');
    const attachments = resources(shard, 'aws_iam_role_policy_attachment').filter((p) => p.provider === 'aws.a222222222222');
    expect(policies.length).toBeGreaterThan(0);
    expect(attachments).toHaveLength(policies.length);
    for (const policy of policies) {
      expect(policy.policy).toContain(':222222222222:');
      for (const other of ['111111111111', '333333333333', '444444444444']) expect(policy.policy).not.toContain(other);
    }
  });
});

describe('backends', () => {
  it('local: one state file per stack under the configured directory, relative to the stack folder', () => {
    const stack = synthDeployment(fixtureConfig()).byName('cloudmend-handler-us-east-1');
    expect(stack.tf.terraform.backend).toEqual({ local: { path: '../../../terraform-state/cloudmend-handler-us-east-1.tfstate' } });
  });

  it('s3: one key per stack, encrypted, with native locking and the lock table when given', () => {
    const d = synthDeployment(
      fixtureConfig({
        backend: {
          type: 's3',
          bucket: 'tf-state',
          keyPrefix: 'sec/cloudmend',
          region: 'eu-west-1',
          lockTable: 'tf-locks',
          useLockfile: true,
        },
      }),
    );
    expect(d.byName('cloudmend-members-0').tf.terraform.backend).toEqual({
      s3: {
        bucket: 'tf-state',
        key: 'sec/cloudmend/cloudmend-members-0.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        dynamodb_table: 'tf-locks',
        use_lockfile: true,
      },
    });
  });
});
