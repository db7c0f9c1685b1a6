import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { shardAccounts } from '../../stacks/member-role-stack';
import { fixtureConfig, resources, synthDeployment } from './fixtures/deployment';

const account = (n: number) => ({
  id: String(100000000000 + n * 7919),
  name: `a${n}`,
  ouPath: 'Root',
  ouIds: [],
  status: 'ACTIVE' as const,
});

const where = (shards: ReturnType<typeof shardAccounts>) => new Map(shards.flatMap((s) => s.accounts.map((a) => [a.id, s.name] as const)));

describe('shardAccounts (terraform mode): growth never moves a role or renames a stack', () => {
  it('puts every account in exactly one of the fixed shards', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => account(i));
    const shards = shardAccounts(accounts, 32);
    expect(shards.flatMap((s) => s.accounts.map((a) => a.id)).sort()).toEqual(accounts.map((a) => a.id).sort());
    expect(shards).toHaveLength(32);
    expect(Math.max(...shards.map((s) => s.accounts.length))).toBeLessThan(60);
  });

  // Issue #9: with positional shards, 40 -> 41 accounts moved 18 of 40 roles to another state.
  it('40 -> 41 accounts: no existing role changes stack', () => {
    const before = where(shardAccounts(Array.from({ length: 40 }, (_, i) => account(i))));
    const after = where(shardAccounts(Array.from({ length: 41 }, (_, i) => account(i))));
    for (const [id, shard] of before) expect(after.get(id)).toBe(shard);
  });

  // Issue #9: at 320 -> 321 every stack was renamed by a padding digit.
  it('320 -> 321 and 20,000 accounts: the same stack names', () => {
    const names = (n: number) => shardAccounts(Array.from({ length: n }, (_, i) => account(i))).map((s) => s.name);
    expect(names(321)).toEqual(names(320));
    expect(names(20000)).toEqual(names(1));
  });

  it('keeps a shard whose last account left, empty, so its state is still planned (and its roles destroyed)', () => {
    const accounts = Array.from({ length: 3 }, (_, i) => account(i));
    const shards = shardAccounts(accounts.slice(1), 64);
    expect(shards).toHaveLength(64);
    const emptied = shards.find((s) => s.name === where(shardAccounts(accounts, 64)).get(accounts[0]!.id))!;
    expect(emptied.accounts.map((a) => a.id)).not.toContain(accounts[0]!.id);
  });

  it('gives an account that left the scope a place (its provider) in the shard it was in', () => {
    const gone = account(7);
    const home = where(shardAccounts([gone], 16)).get(gone.id);
    const shard = shardAccounts([], 16, [gone]).find((s) => s.name === home)!;
    expect(shard.retained).toEqual([gone]);
    expect(shard.accounts).toEqual([]);
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
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'sts:ExternalId': 'cloudmend-test' },
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/cloudmend-handler-*' },
          },
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

describe('MemberRoleStack writes member blocks as plain JSON, exactly as cdktf writes the constructs', () => {
  // The blocks are not constructs (memory and time at thousands of accounts); existing Terraform state must not notice.
  const deployment = synthDeployment(fixtureConfig());
  const shards = deployment.stacks.filter((s) => resources(s, 'aws_iam_role').length > 0 && s.name.includes('members'));

  it.each(shards.map((s) => [s.name, s] as const))(
    '%s: the same resources, addresses and references as IamRole, IamPolicy and attachments',
    (_, shard) => {
      const actual = shard.tf.resource!;
      const reference = new TerraformStack(Testing.app(), shard.name);
      const providers = new Map<string, AwsProvider>();
      for (const p of shard.tf.provider!.aws as { alias: string; region: string }[]) {
        providers.set(`aws.${p.alias}`, new AwsProvider(reference, `aws-${p.alias.slice(1)}`, { alias: p.alias, region: p.region }));
      }
      const roles = new Map<string, IamRole>();
      for (const [id, r] of Object.entries(actual.aws_iam_role as Record<string, any>)) {
        roles.set(
          id,
          new IamRole(reference, id, {
            provider: providers.get(r.provider)!,
            name: r.name,
            description: r.description,
            assumeRolePolicy: r.assume_role_policy,
            maxSessionDuration: r.max_session_duration,
          }),
        );
      }
      for (const [id, p] of Object.entries(actual.aws_iam_policy as Record<string, any>)) {
        const policy = new IamPolicy(reference, id, {
          provider: providers.get(p.provider)!,
          name: p.name,
          description: p.description,
          policy: p.policy,
        });
        const account = id.split('-')[1]!;
        new IamRolePolicyAttachment(reference, id.replace(/^policy-/, 'attach-'), {
          provider: providers.get(p.provider)!,
          role: roles.get(`role-${account}`)!.name,
          policyArn: policy.arn,
        });
      }
      const expected = JSON.parse(Testing.synth(reference)).resource;
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const type of Object.keys(expected)) expect(actual[type]).toEqual(expected[type]);
      expect(shards.length).toBeGreaterThan(0);
    },
  );
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
    expect(d.byName('cloudmend-members-00').tf.terraform.backend).toEqual({
      s3: {
        bucket: 'tf-state',
        key: 'sec/cloudmend/cloudmend-members-00.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        dynamodb_table: 'tf-locks',
        use_lockfile: true,
      },
    });
  });
});
