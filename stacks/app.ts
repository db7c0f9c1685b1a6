/**
 * Builds every stack of a deployment into a cdktf App: a handler stack per
 * enabled region, and the member roles either as StackSets (default) or as
 * Terraform stacks per fixed shard. Pure in its inputs (config, inventory, the
 * one handler zip): main.ts, the benchmark and the tests all call
 * prepareDeployment then buildStacks, so they build exactly the same thing.
 */
import type { App } from 'cdktf';
import { BOTS, botNames } from '../bots';
import type { Bot } from '../bots/types';
import { type Inventory, type ScopedInventory, scopeInventory } from '../config/inventory';
import { partitionOf } from '../config/regions';
import type { RuntimeConfig } from '../config/runtime';
import type { CloudmendConfig } from '../config/schema';
import type { BackendSettings } from './backend';
import { DeploymentError } from './errors';
import { eventBusPolicyFor, forwardingTemplate } from './forwarding-template';
import { HandlerStack, type HandlerCode, handlerStackName } from './handler-stack';
import { type MemberShard, MemberRoleStack, shardAccounts } from './member-role-stack';
import { memberRoleDocuments } from './member-role-documents';
import { botsGrantedPermissions, handlerRoleArnPattern, memberRolePolicyTexts } from './member-role-policy';
import { checkSizes, memberRoleSizes, memberRoleTemplate, type SizeFigure } from './member-role-template';
import { buildRuntimeConfig, runtimeConfigDigest } from './runtime-config';
import { addEventBusPolicy, useSecurityAccountRole } from './handler-additions';
import { STACKSET_STACK_NAME, StackSetStack } from './stackset-stack';
import { deploymentTags } from './tags';
import { prefixed } from '../config/operations-schema';
import { stackSetTargets } from './stackset-targets';

export interface PreparedDeployment {
  config: CloudmendConfig;
  /** The whole inventory: stackset targets carve exclusions out of its OU tree; terraform mode keeps providers for its out-of-scope accounts. */
  inventory: Inventory;
  scoped: ScopedInventory;
  runtime: RuntimeConfig;
  configDigest: string;
}

/** Scope, runtime config and its digest: what the bundle needs before the stacks are built. */
export function prepareDeployment(
  config: CloudmendConfig,
  inventory: Inventory,
  names: readonly string[] = botNames(),
): PreparedDeployment {
  const scoped = scopeInventory(inventory, config);
  const runtime = buildRuntimeConfig(config, scoped, names);
  return { config, inventory, scoped, runtime, configDigest: runtimeConfigDigest(runtime) };
}

export interface BuildInput extends PreparedDeployment {
  code: HandlerCode;
  /** Output folder relative to baseDir (default cdktf.out). */
  outdir?: string;
  /** Project root; relative paths in the output are computed from it. */
  baseDir: string;
  /** The bot catalog; defaults to the shipped one. */
  bots?: readonly Bot[];
}

export interface DeploymentPlan {
  mode: CloudmendConfig['roles']['deployment'];
  partition: string;
  regions: string[];
  handlerStacks: string[];
  /** Terraform member-role stacks (every shard in terraform mode; the security account's own in stackset mode). */
  shards: MemberShard[];
  /** The StackSet stack, in stackset mode. */
  stackSetStack?: string;
  enabledBots: string[];
  policiesPerRole: number;
  /** Who the member roles trust: the handler role name pattern in the security account. */
  trustedPattern: string;
  /** Sizes checked against AWS's limits. */
  sizes: SizeFigure[];
  notes: string[];
}

const GLOBAL_REGION: Record<ReturnType<typeof partitionOf>, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};
export const SECURITY_MEMBER_STACK = 'cloudmend-members-security';

export function buildStacks(app: App, input: BuildInput): DeploymentPlan {
  const { config, scoped, runtime } = input;
  const partitions = [...new Set(scoped.regions.map(partitionOf))];
  const [partition] = partitions;
  if (partition === undefined) throw new DeploymentError('no region in scope: check regions.include and regions.exclude');
  if (partitions.length > 1) {
    throw new DeploymentError(`regions span several partitions (${partitions.join(', ')}): deploy each partition with its own config`);
  }
  const stackset = config.roles.deployment === 'stackset';
  const prefix = config.naming.prefix;
  const organizationId = scoped.organizationId;
  if (stackset && !organizationId) {
    throw new DeploymentError(
      'roles.deployment: stackset needs the organization id (the handler may assume member roles only inside it, as accounts join without a redeploy): ' +
        'set organization.id in cloudmend.yaml, or discover the inventory (`npx cloudmend discover`), or use roles.deployment: terraform',
    );
  }
  const catalog = input.bots ?? BOTS;
  const bots = botsGrantedPermissions(catalog, runtime.enabledBots, runtime.optIn);
  const backend: BackendSettings = { backend: config.backend, outdir: input.outdir ?? 'cdktf.out', baseDir: input.baseDir };
  const notes: string[] = [];

  const handlerStacks = scoped.regions.map((region) => {
    const stack = new HandlerStack(app, {
      config,
      region,
      // stackset mode: member roles by organization id, so an account that joins is reachable with no redeploy.
      accounts: stackset ? [] : scoped.accounts.map((a) => a.id),
      ...(organizationId ? { organizationId } : {}),
      code: input.code,
      configDigest: input.configDigest,
      backend,
    });
    useSecurityAccountRole(stack, partition, config);
    if (organizationId)
      addEventBusPolicy(stack, eventBusPolicyFor({ partition, region, securityAccount: config.securityAccount, organizationId }));
    return stack;
  });

  const trustPolicy = memberRoleDocuments(config, scoped.regions, bots, config.securityAccount).trust;
  // One rendering for the organisation, then each account's id put in: the texts IAM receives.
  const policyScope = { partition: partitionOf(scoped.regions[0] ?? 'us-east-1'), regions: scoped.regions };
  const policiesFor = (account: string) => memberRolePolicyTexts(bots, { ...policyScope, account });
  const spec = {
    roleName: config.roles.memberRoleName,
    partition,
    securityAccount: config.securityAccount,
    externalId: config.roles.externalId,
    regions: scoped.regions,
    bots,
    prefix,
  };
  const template = memberRoleTemplate(spec);
  // The template body limit binds only when CloudFormation receives the template (stackset mode).
  const sizes = memberRoleSizes(spec, template).filter((f) => stackset || !f.what.endsWith('template body'));
  checkSizes(sizes);

  const memberStack = (shard: MemberShard, roleName?: string) =>
    new MemberRoleStack(app, {
      ...(roleName ? { roleName } : {}),
      config,
      shard,
      partition,
      providerRegion: GLOBAL_REGION[partition],
      trustPolicy,
      policiesFor,
      backend,
      ...(config.roles.securityAccountRoleName ? { securityAccountRoleName: config.roles.securityAccountRoleName } : {}),
    });

  let shards: MemberShard[];
  let stackSetStack: string | undefined;
  if (stackset) {
    const security = scoped.accounts.find((a) => a.id === config.securityAccount);
    if (!security)
      throw new DeploymentError(
        `securityAccount ${config.securityAccount} is not among the accounts in scope: it needs its member role too`,
      );
    // The security account's role stays in Terraform: the StackSet never targets it (see stackset-targets.ts).
    const securityShard: MemberShard = { name: prefixed(prefix, SECURITY_MEMBER_STACK), accounts: [security], retained: [] };
    shards = [securityShard];
    memberStack(securityShard);
    const targets = stackSetTargets(config, input.inventory);
    notes.push(...targets.notes);
    const region = config.roles.stackSet.region ?? scoped.regions[0] ?? GLOBAL_REGION[partition];
    const adminAccount = config.roles.stackSet.adminAccount ?? config.organization.managementAccount ?? input.inventory.managementAccountId;
    const managementAccount = config.organization.managementAccount ?? input.inventory.managementAccountId;
    const forwarding = forwardingTemplate({
      partition,
      securityAccount: config.securityAccount,
      forwardFindings: config.roles.forwardFindings,
      prefix,
    });
    const forwardingBytes = Buffer.byteLength(JSON.stringify(forwarding));
    checkSizes([{ what: 'event forwarding template body', size: forwardingBytes, limit: 51200 }]);
    sizes.push({ what: 'event forwarding template body', size: forwardingBytes, limit: 51200 });
    const stackSets = new StackSetStack(app, {
      stackName: prefixed(prefix, STACKSET_STACK_NAME),
      tags: deploymentTags(config, 'stackset'),
      partition,
      region,
      ...(adminAccount ? { adminAccount } : {}),
      ...(config.roles.stackSet.adminRoleName ? { adminRoleName: config.roles.stackSet.adminRoleName } : {}),
      delegatedAdmin: adminAccount !== undefined && managementAccount !== undefined && adminAccount !== managementAccount,
      templates: [
        {
          name: prefixed(prefix, 'cloudmend-member-role'),
          description: 'cloudmend remediation role, assumed only by the cloudmend handlers of the security account',
          body: JSON.stringify(template),
          instances: targets.instances,
          regions: [region],
        },
        {
          name: prefixed(prefix, 'cloudmend-event-forwarding'),
          description: 'Forwards findings of each member region to the cloudmend bus of the security account in that region',
          body: JSON.stringify(forwarding),
          instances: targets.instances,
          regions: scoped.regions,
        },
      ],
      backend,
    });
    stackSetStack = prefixed(prefix, STACKSET_STACK_NAME);
    const migration = config.roles.migration;
    if (migration) {
      // Migration from terraform mode (README): the former Terraform roles stay (keep) or are destroyed (retire) beside the StackSet.
      const inScope = new Set(scoped.accounts.map((a) => a.id));
      const known = input.inventory.accounts.filter((a) => !inScope.has(a.id));
      const former = shardAccounts(
        migration.phase === 'keep' ? scoped.accounts : [],
        config.sharding.shards ?? undefined,
        migration.phase === 'keep' ? known : [...scoped.accounts, ...known],
        prefix,
      );
      for (const shard of former) memberStack(shard, migration.previousRoleName);
      shards.push(...former);
      // The new roles exist everywhere before the handlers switch to them: no window without a role.
      for (const handler of handlerStacks) handler.addDependency(stackSets);
      notes.push(
        migration.phase === 'keep'
          ? `migration: Terraform roles ${migration.previousRoleName} kept beside the StackSet's ${config.roles.memberRoleName}; apply, check the StackSet instances, then set roles.migration.phase: retire`
          : `migration: Terraform roles ${migration.previousRoleName} are destroyed by this apply; afterwards remove roles.migration`,
      );
    }
  } else {
    const inScope = new Set(scoped.accounts.map((a) => a.id));
    const retained = input.inventory.accounts.filter((a) => !inScope.has(a.id));
    shards = shardAccounts(scoped.accounts, config.sharding.shards ?? undefined, retained, prefix);
    const largest = Math.max(...shards.map((s) => s.accounts.length));
    if (largest > config.sharding.accountsPerStack) {
      notes.push(
        `the largest member stack holds ${largest} accounts (sharding.accountsPerStack: ${config.sharding.accountsPerStack}); ` +
          'plan memory grows with providers per stack: prefer roles.deployment: stackset',
      );
    }
    for (const shard of shards) memberStack(shard);
  }
  // Otherwise no ordering between handler and member stacks: the trust names the security account and a role name pattern,
  // which IAM accepts before any handler role exists (a migration deploys the roles first).

  return {
    mode: config.roles.deployment,
    partition,
    regions: scoped.regions,
    handlerStacks: scoped.regions.map((region) => handlerStackName(region, prefix)),
    shards,
    ...(stackSetStack ? { stackSetStack } : {}),
    enabledBots: runtime.enabledBots,
    policiesPerRole: policiesFor(config.securityAccount).length,
    trustedPattern: handlerRoleArnPattern(partition, config.securityAccount, prefix),
    sizes,
    notes,
  };
}
