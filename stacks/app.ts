/**
 * Builds every stack of a deployment into a cdktf App: a handler stack per
 * enabled region and member-role stacks per shard of accounts. Pure in its
 * inputs (config, scoped inventory, the one handler zip), so tests and the
 * benchmark build exactly what main.ts builds.
 */
import type { App } from 'cdktf';
import { BOTS } from '../bots';
import type { Bot } from '../bots/types';
import type { ScopedInventory } from '../config/inventory';
import { partitionOf } from '../config/regions';
import type { RuntimeConfig } from '../config/runtime';
import type { CloudmendConfig } from '../config/schema';
import type { BackendSettings } from './backend';
import { DeploymentError } from './errors';
import { HandlerStack, type HandlerCode, handlerStackName } from './handler-stack';
import { type MemberShard, MemberRoleStack, shardAccounts } from './member-role-stack';
import { botsGrantedPermissions, handlerRoleArn, memberRolePolicyDocuments, memberRoleTrustPolicy } from './member-role-policy';

export interface BuildInput {
  config: CloudmendConfig;
  scoped: ScopedInventory;
  runtime: RuntimeConfig;
  configDigest: string;
  code: HandlerCode;
  /** Output folder relative to baseDir (default cdktf.out). */
  outdir?: string;
  /** Project root; relative paths in the output are computed from it. */
  baseDir: string;
  /** The bot catalog; defaults to the shipped one. */
  bots?: readonly Bot[];
}

export interface DeploymentPlan {
  partition: string;
  regions: string[];
  handlerStacks: string[];
  shards: MemberShard[];
  enabledBots: string[];
  policiesPerRole: number;
  handlerRoleArns: string[];
}

const GLOBAL_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function buildStacks(app: App, input: BuildInput): DeploymentPlan {
  const { config, scoped, runtime } = input;
  if (scoped.regions.length === 0) throw new DeploymentError('no region in scope: check regions.include and regions.exclude');
  const partitions = [...new Set(scoped.regions.map(partitionOf))];
  if (partitions.length > 1) {
    throw new DeploymentError(`regions span several partitions (${partitions.join(', ')}): deploy each partition with its own config`);
  }
  const partition = partitions[0]!;
  const catalog = input.bots ?? BOTS;
  const bots = botsGrantedPermissions(catalog, runtime.enabledBots, runtime.optIn);
  const backend: BackendSettings = { backend: config.backend, outdir: input.outdir ?? 'cdktf.out', baseDir: input.baseDir };
  const accountIds = scoped.accounts.map((a) => a.id);

  const handlerStacks = scoped.regions.map(
    (region) =>
      new HandlerStack(app, {
        config,
        region,
        accounts: accountIds,
        ...(scoped.organizationId ? { organizationId: scoped.organizationId } : {}),
        code: input.code,
        configDigest: input.configDigest,
        backend,
      }),
  );

  const prefix = config.naming.prefix;
  const handlerRoleArns = scoped.regions.map((region) => handlerRoleArn(partition, config.securityAccount, region, prefix));
  const trustPolicy = memberRoleTrustPolicy(handlerRoleArns, config.roles.externalId);
  const policiesFor = (account: string) => memberRolePolicyDocuments(bots, { partition, account, regions: scoped.regions });
  const shards = shardAccounts(scoped.accounts, config.sharding.accountsPerStack, config.sharding.shards, prefix);
  for (const shard of shards) {
    const stack = new MemberRoleStack(app, {
      config,
      shard,
      partition,
      providerRegion: GLOBAL_REGION[partition]!,
      trustPolicy,
      policiesFor,
      backend,
    });
    // IAM rejects a trust policy naming a role that does not exist yet: handlers first.
    for (const handler of handlerStacks) stack.addDependency(handler);
  }

  return {
    partition,
    regions: scoped.regions,
    handlerStacks: scoped.regions.map((region) => handlerStackName(region, prefix)),
    shards,
    enabledBots: runtime.enabledBots,
    policiesPerRole: policiesFor(config.securityAccount).length,
    handlerRoleArns,
  };
}
