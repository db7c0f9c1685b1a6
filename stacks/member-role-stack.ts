/**
 * Member remediation roles as Terraform resources (`roles.deployment:
 * terraform`, and the security account's own role in either mode), a fixed
 * shard of accounts per stack. Each account is reached through its own
 * provider alias assuming the bootstrap role there (the security account
 * through the pipeline's credentials or roles.securityAccountRoleName): a
 * provider per account cannot be avoided when Terraform itself writes into
 * every account, which is why stackset mode is the default.
 */
import { createHash } from 'node:crypto';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { InventoryAccount } from '../config/inventory';
import type { CloudmendConfig } from '../config/schema';
import { applyBackend, type BackendSettings } from './backend';
import { deploymentTags } from './tags';

export interface MemberShard {
  /** Stack name: fixed by the shard count, which is set once (sharding.shards), so growth never renames a stack. */
  name: string;
  /** In-scope accounts: each gets a provider and the role. */
  accounts: InventoryAccount[];
  /**
   * Accounts of the inventory that are out of scope (excluded, suspended): a
   * provider but no role, so a role created before they left scope is still
   * reachable, and destroyed, instead of "Provider configuration not present".
   */
  retained: InventoryAccount[];
}

/** The default number of Terraform member stacks: set once, never changed by growth. */
export const DEFAULT_SHARDS = 64;

/** Stable: the account id alone decides, whatever else is in the organization. */
export function shardOf(accountId: string, count: number): number {
  return count === 1 ? 0 : createHash('sha256').update(accountId).digest().readUInt32BE(0) % count;
}

/**
 * Assigns accounts to a fixed number of shards by a hash of the account id:
 * a new account lands in one shard and moves no other account's role between
 * Terraform states, and no stack is renamed when the organization grows (the
 * name's width follows the fixed count, never the number of accounts). Every
 * shard is emitted, empty or not, so a shard whose last account leaves is
 * still planned and its roles destroyed.
 */
export function shardAccounts(
  accounts: readonly InventoryAccount[],
  count: number = DEFAULT_SHARDS,
  retained: readonly InventoryAccount[] = [],
  /** naming.prefix: stack names, and so state keys, of two deployments never meet. */
  prefix = '',
): MemberShard[] {
  const width = String(count - 1).length;
  const shards: MemberShard[] = Array.from({ length: count }, (_, i) => ({
    name: `${prefix ? `${prefix}-` : ''}cloudmend-members-${String(i).padStart(width, '0')}`,
    accounts: [],
    retained: [],
  }));
  for (const account of accounts) shards[shardOf(account.id, count)]?.accounts.push(account);
  for (const account of retained) shards[shardOf(account.id, count)]?.retained.push(account);
  for (const shard of shards) {
    shard.accounts.sort((a, b) => a.id.localeCompare(b.id));
    shard.retained.sort((a, b) => a.id.localeCompare(b.id));
  }
  return shards;
}

export interface MemberRoleStackProps {
  config: CloudmendConfig;
  shard: MemberShard;
  partition: string;
  /** A region for the providers (IAM is global; the provider still needs one). */
  providerRegion: string;
  /** The trust policy, identical in every account. */
  trustPolicy: unknown;
  /** Role the pipeline assumes in the security account; absent: its own credentials are there. */
  securityAccountRoleName?: string;
  /** The role's name; default roles.memberRoleName (a migration keeps the former name here). */
  roleName?: string;
  /** The managed policies' JSON texts for one account. */
  policiesFor: (account: string) => string[];
  backend: BackendSettings;
}

/** A Terraform resource block as cdktf writes it: its construct metadata, then its arguments. */
type ResourceBlock = Record<string, unknown>;
type Blocks = Record<string, Record<string, ResourceBlock>>;

/**
 * The role, its managed policies and their attachments of every account in
 * the shard are written as Terraform JSON directly, not as constructs: the
 * same blocks, addresses and references cdktf writes for IamRole, IamPolicy
 * and IamRolePolicyAttachment (__tests__/stacks/member-role-stack.test.ts
 * holds them equal), so existing state is untouched. They are rendered when
 * the stack is synthesized, one stack at a time, so the policy texts of every
 * account (a few KB each, different per account) are never all held at once.
 * As fifteen constructs an account, each resolved twice at synth, 5,000
 * accounts took 17 s and 1.1 GB (`npm run bench -- synth`). The providers stay
 * constructs: cdktf derives the stack's required_providers from them.
 */
export class MemberRoleStack extends TerraformStack {
  private readonly renderBlocks: () => Blocks;

  constructor(scope: Construct, props: MemberRoleStackProps) {
    super(scope, props.shard.name);
    const { config, partition } = props;
    applyBackend(this, props.backend, props.shard.name);
    const roleName = props.roleName ?? config.roles.memberRoleName;
    const trust = JSON.stringify(props.trustPolicy);
    const tags = deploymentTags(config, 'member-role');
    const stackName = props.shard.name;

    const providerFor = (account: InventoryAccount) => {
      const isSecurity = account.id === config.securityAccount;
      const assumed = isSecurity ? props.securityAccountRoleName : config.roles.bootstrapRoleName;
      return new AwsProvider(this, `aws-${account.id}`, {
        alias: `a${account.id}`,
        region: props.providerRegion,
        allowedAccountIds: [account.id],
        defaultTags: [{ tags }],
        ...(assumed
          ? { assumeRole: [{ roleArn: `arn:${partition}:iam::${account.id}:role/${assumed}`, sessionName: 'cloudmend-deployer' }] }
          : {}),
      });
    };
    for (const account of props.shard.retained) providerFor(account);
    const members = props.shard.accounts.map((account) => ({ account: account.id, provider: `aws.${providerFor(account).alias}` }));

    this.renderBlocks = () => {
      const blocks: Blocks = { aws_iam_role: {}, aws_iam_policy: {}, aws_iam_role_policy_attachment: {} };
      const add = (type: string, id: string, provider: string, args: Record<string, unknown>) => {
        (blocks[type] as Record<string, ResourceBlock>)[id] = {
          '//': { metadata: { path: `${stackName}/${id}`, uniqueId: id } },
          ...args,
          provider,
        };
      };
      for (const { account, provider } of members) {
        const roleId = `role-${account}`;
        add('aws_iam_role', roleId, provider, {
          assume_role_policy: trust,
          description: 'cloudmend remediation: assumed by the cloudmend handlers only, with the external id',
          max_session_duration: 3600,
          name: roleName,
        });
        props.policiesFor(account).forEach((text, i) => {
          const policyId = `policy-${account}-${i + 1}`;
          add('aws_iam_policy', policyId, provider, {
            description: `cloudmend remediation permissions, part ${i + 1}: generated from the enabled bots' metadata`,
            name: `${roleName}-${i + 1}`,
            policy: text,
          });
          add('aws_iam_role_policy_attachment', `attach-${account}-${i + 1}`, provider, {
            policy_arn: `\${aws_iam_policy.${policyId}.arn}`,
            role: `\${aws_iam_role.${roleId}.name}`,
          });
        });
      }
      return blocks;
    };
  }

  /** What cdktf synthesizes from the constructs (backend, providers), with the member blocks rendered into it. */
  override toTerraform(): Record<string, unknown> {
    const tf = super.toTerraform() as Record<string, unknown> & { resource?: Blocks };
    const resource: Blocks = { ...tf.resource };
    for (const [type, blocks] of Object.entries(this.renderBlocks())) {
      if (Object.keys(blocks).length > 0) resource[type] = { ...resource[type], ...blocks };
    }
    return Object.keys(resource).length > 0 ? { ...tf, resource } : tf;
  }
}
