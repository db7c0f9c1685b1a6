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
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
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

export class MemberRoleStack extends TerraformStack {
  constructor(scope: Construct, props: MemberRoleStackProps) {
    super(scope, props.shard.name);
    const { config, partition } = props;
    applyBackend(this, props.backend, props.shard.name);
    const roleName = props.roleName ?? config.roles.memberRoleName;
    const trust = JSON.stringify(props.trustPolicy);
    const tags = deploymentTags(config, 'member-role');

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
    for (const account of props.shard.accounts) {
      const provider = providerFor(account);
      const role = new IamRole(this, `role-${account.id}`, {
        provider,
        name: roleName,
        description: 'cloudmend remediation: assumed by the cloudmend handlers only, with the external id',
        assumeRolePolicy: trust,
        maxSessionDuration: 3600,
      });
      props.policiesFor(account.id).forEach((text, i) => {
        const policy = new IamPolicy(this, `policy-${account.id}-${i + 1}`, {
          provider,
          name: `${roleName}-${i + 1}`,
          description: `cloudmend remediation permissions, part ${i + 1}: generated from the enabled bots' metadata`,
          policy: text,
        });
        new IamRolePolicyAttachment(this, `attach-${account.id}-${i + 1}`, {
          provider,
          role: role.name,
          policyArn: policy.arn,
        });
      });
    }
  }
}
