/**
 * The member role's documents for one account, from config and bot metadata:
 * what both the stacks and `cloudmend policy` use, so the printed policy is
 * the deployed one.
 */
import type { BotMeta } from '../bots/types';
import type { PolicyDocument } from '../bots/permissions';
import { partitionOf } from '../config/regions';
import type { CloudmendConfig } from '../config/schema';
import { memberRolePolicyDocuments, memberRoleTrustPolicy, type TrustPolicyDocument } from './member-role-policy';

export interface MemberRoleDocuments {
  partition: string;
  trust: TrustPolicyDocument;
  documents: PolicyDocument[];
}

export function memberRoleDocuments(
  config: CloudmendConfig,
  regions: readonly string[],
  bots: ReadonlyArray<Pick<BotMeta, 'name' | 'permissions' | 'resourceTypes'>>,
  account: string,
): MemberRoleDocuments {
  const partition = partitionOf(regions[0] ?? 'us-east-1');
  return {
    partition,
    trust: memberRoleTrustPolicy({
      partition,
      securityAccount: config.securityAccount,
      externalId: config.roles.externalId,
      prefix: config.naming.prefix,
    }),
    documents: memberRolePolicyDocuments(bots, { partition, account, regions }),
  };
}
