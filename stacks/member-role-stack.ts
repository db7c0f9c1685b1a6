/**
 * Member remediation roles, a shard of accounts per stack. Each account is
 * reached through its own provider alias assuming the bootstrap role there
 * (the security account through the deployer's own credentials), and gets one
 * role trusted only by the handler roles, with the generated managed policies.
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
import type { PolicyDocument } from '../bots/permissions';
import { applyBackend, type BackendSettings } from './backend';
import { deploymentTags } from './tags';

export interface MemberShard {
  /** Stack name, stable for an account as long as the shard count stays. */
  name: string;
  accounts: InventoryAccount[];
}

/**
 * Assigns accounts to shards by a hash of the account id, not by position: a
 * new account then lands in one shard and moves no other account's role to a
 * different state (moving it would destroy and recreate the role). The shard
 * count is a power of two at or above accounts / accountsPerStack, so it only
 * changes when the organization doubles.
 */
export function shardAccounts(
  accounts: readonly InventoryAccount[],
  accountsPerStack: number,
  fixedShards?: number,
  /** naming.prefix: stack names, and so state keys, of two deployments never meet. */
  prefix = '',
): MemberShard[] {
  let count = 1;
  if (fixedShards) count = fixedShards;
  else while (count * accountsPerStack < accounts.length) count *= 2;
  const width = String(count - 1).length;
  const shards: InventoryAccount[][] = Array.from({ length: count }, () => []);
  for (const account of accounts) {
    const bucket = count === 1 ? 0 : createHash('sha256').update(account.id).digest().readUInt32BE(0) % count;
    shards[bucket]!.push(account);
  }
  return shards
    .map((members, i) => ({
      name: `${prefix ? `${prefix}-` : ''}cloudmend-members-${String(i).padStart(width, '0')}`,
      accounts: members.sort((a, b) => a.id.localeCompare(b.id)),
    }))
    .filter((shard) => shard.accounts.length > 0);
}

export interface MemberRoleStackProps {
  config: CloudmendConfig;
  shard: MemberShard;
  partition: string;
  /** A region for the providers (IAM is global; the provider still needs one). */
  providerRegion: string;
  /** The trust policy, identical in every account. */
  trustPolicy: unknown;
  /** Policy documents for one account. */
  policiesFor: (account: string) => PolicyDocument[];
  backend: BackendSettings;
}

export class MemberRoleStack extends TerraformStack {
  constructor(scope: Construct, props: MemberRoleStackProps) {
    super(scope, props.shard.name);
    const { config, partition } = props;
    applyBackend(this, props.backend, props.shard.name);
    const roleName = config.roles.memberRoleName;
    const trust = JSON.stringify(props.trustPolicy);
    const tags = deploymentTags(config, 'member-role');

    for (const account of props.shard.accounts) {
      const isSecurity = account.id === config.securityAccount;
      const provider = new AwsProvider(this, `aws-${account.id}`, {
        alias: `a${account.id}`,
        region: props.providerRegion,
        allowedAccountIds: [account.id],
        defaultTags: [{ tags }],
        ...(isSecurity
          ? {}
          : {
              assumeRole: [
                {
                  roleArn: `arn:${partition}:iam::${account.id}:role/${config.roles.bootstrapRoleName}`,
                  sessionName: 'cloudmend-deployer',
                },
              ],
            }),
      });
      const role = new IamRole(this, `role-${account.id}`, {
        provider,
        name: roleName,
        description: 'cloudmend remediation: assumed by the cloudmend handlers only, with the external id',
        assumeRolePolicy: trust,
        maxSessionDuration: 3600,
      });
      props.policiesFor(account.id).forEach((document, i) => {
        const policy = new IamPolicy(this, `policy-${account.id}-${i + 1}`, {
          provider,
          name: `${roleName}-${i + 1}`,
          description: `cloudmend remediation permissions, part ${i + 1}: generated from the enabled bots' metadata`,
          policy: JSON.stringify(document),
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
