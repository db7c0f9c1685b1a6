/**
 * The cdktf app: config -> inventory -> scope -> one handler bundle -> stacks
 * -> Terraform JSON in cdktf.out/, then a summary of what will be created.
 *
 *   npm run synth                      (the embedded example, offline)
 *   CLOUDMEND_CONFIG=cloudmend.yaml npm run synth
 *   npx cdktf synth | diff | deploy    (cdktf.json runs this same file)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { App } from 'cdktf';
import { describeFailure } from './cli/errors';
import { columns } from './cli/table';
import { loadInventory, type ScopedInventory } from './config/inventory';
import type { ConfigNotice } from './config/errors';
import { formatNotice, loadConfigWithWarnings } from './config/load';
import type { CloudmendConfig } from './config/schema';
import { bundleHandler } from './stacks/bundle';
import { buildStacks, type DeploymentPlan, prepareDeployment } from './stacks/app';
import { handlerStackContents } from './stacks/handler-stack';

export interface SynthOptions {
  /** Config file; default: $CLOUDMEND_CONFIG, else ./cloudmend.yaml, else config/example.yaml. */
  configPath?: string;
  /** Project root; default the current directory. */
  cwd?: string;
  /** Output folder relative to cwd; default cdktf.out (or $CDKTF_OUTDIR when the cdktf CLI runs us). */
  outdir?: string;
  /** Handler entry; default handler/index.ts. */
  entry?: string;
}

export interface SynthResult {
  configPath: string;
  config: CloudmendConfig;
  scoped: ScopedInventory;
  inventorySource: string;
  plan: DeploymentPlan;
  outdir: string;
  summary: string;
  /** The config's warnings and info lines (also in the summary). */
  warnings: ConfigNotice[];
}

export function resolveConfigPath(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLOUDMEND_CONFIG) return resolve(cwd, env.CLOUDMEND_CONFIG);
  const local = resolve(cwd, 'cloudmend.yaml');
  return existsSync(local) ? local : resolve(__dirname, 'config/example.yaml');
}

export async function synthesize(options: SynthOptions = {}): Promise<SynthResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const configPath = options.configPath ? resolve(cwd, options.configPath) : resolveConfigPath(cwd);
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const { config, warnings } = loadConfigWithWarnings(configPath, { rollout: true });
  const { inventory, file: inventoryFile } = loadInventory(config, configPath);
  const prepared = prepareDeployment(config, inventory);
  const { scoped, runtime } = prepared;
  const bundle = await bundleHandler({ cwd, ...(options.entry ? { entry: options.entry } : {}), runtimeConfig: runtime });

  // Stack traces in resource metadata cost time per construct and tell a Terraform reviewer nothing.
  mkdirSync(resolve(cwd, outdir), { recursive: true });
  const app = new App({ outdir: resolve(cwd, outdir), stackTraces: false });
  const plan = buildStacks(app, {
    ...prepared,
    code: { zipFile: bundle.zipFile, zipSha256: bundle.zipSha256 },
    outdir: relative(cwd, resolve(cwd, outdir)) || '.',
    baseDir: cwd,
  });
  app.synth();

  const inventorySource = inventoryFile ? `${inventory.source} (${relative(cwd, inventoryFile) || inventoryFile})` : inventory.source;
  const summary = formatSummary({
    configPath: relative(cwd, configPath) || configPath,
    config,
    scoped,
    inventorySource,
    plan,
    outdir,
    bundle: { bytes: bundle.bytes, entryBytes: bundle.entryBytes },
    warnings: warnings.map((w) => ({ ...w, file: relative(cwd, w.file) || w.file })),
  });
  return { configPath, config, scoped, inventorySource, plan, outdir, summary, warnings };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function formatSummary(s: {
  configPath: string;
  config: CloudmendConfig;
  scoped: ScopedInventory;
  inventorySource: string;
  plan: DeploymentPlan;
  outdir: string;
  bundle?: { bytes: number; entryBytes: number };
  /** From the config loader: printed, never fatal. */
  warnings?: readonly ConfigNotice[];
}): string {
  const { config, scoped, plan } = s;
  const ous = [...new Set(scoped.accounts.map((a) => a.ouPath || '(none)'))].sort();
  const optIn = new Set(config.bots.optIn);
  const lines = [
    `cloudmend synth: ${s.configPath} (${config.mode})`,
    '',
    columns([
      ['security account', config.securityAccount],
      ['inventory', s.inventorySource],
      ['accounts', `${scoped.accounts.length} in scope`],
      ['OUs', ous.join(', ')],
      ['regions', `${plan.regions.length}: ${plan.regions.join(', ')}`],
      [
        'stacks',
        `${plan.handlerStacks.length} handler + ${plan.shards.length} member-role${plan.stackSetStack ? ' + 1 StackSet' : ''} = ${plan.handlerStacks.length + plan.shards.length + (plan.stackSetStack ? 1 : 0)}`,
      ],
      [
        'member roles',
        plan.mode === 'stackset' ? 'StackSet over the in-scope OUs (security account by Terraform)' : 'Terraform, per account',
      ],
      ['bots', `${plan.enabledBots.length} enabled: ${plan.enabledBots.map((b) => (optIn.has(b) ? `${b} (opted in)` : b)).join(', ')}`],
      [
        'member role',
        `${config.roles.memberRoleName}: ${plan.policiesPerRole} managed polic${plan.policiesPerRole === 1 ? 'y' : 'ies'}, trusts ${plan.trustedPattern} with the external id`,
      ],
      ...(s.bundle
        ? [
            [
              'handler bundle',
              `${kib(s.bundle.bytes)} (entry ${kib(s.bundle.entryBytes)}; each AWS client loads when a bot first needs it)`,
            ],
          ]
        : []),
    ]),
    '',
    'per region (security account):',
    columns([['  stack', 'creates'], ...plan.handlerStacks.map((name) => [`  ${name}`, handlerStackContents(config).join(', ')])]),
    '',
    'member-role stacks (Terraform):',
    columns([
      ['  stack', 'accounts'],
      ...plan.shards
        .filter((shard) => shard.accounts.length > 0)
        .map((shard) => [
          `  ${shard.name}`,
          shard.accounts.length <= 8
            ? shard.accounts.map((a) => `${a.id} ${a.name}`).join(', ')
            : `${shard.accounts.length} accounts, ${shard.accounts[0]?.id} .. ${shard.accounts.at(-1)?.id}`,
        ]),
    ]),
    ...(plan.shards.some((shard) => shard.accounts.length === 0)
      ? [
          `  (${plan.shards.filter((shard) => shard.accounts.length === 0).length} more without a role: kept so their state stays plannable)`,
        ]
      : []),
    ...(plan.stackSetStack
      ? ['', `StackSets (${plan.stackSetStack}): cloudmend-member-role, cloudmend-event-forwarding, over the in-scope OUs`]
      : []),
  ];
  const notes = [...scoped.notes, ...plan.notes];
  if (notes.length > 0) lines.push('', 'notes:', ...notes.map((n) => `  - ${n}`));
  const warnings = s.warnings ?? [];
  if (warnings.length > 0) lines.push('', 'config:', ...warnings.map((w) => `  - ${formatNotice(w, '  ')}`));
  lines.push(
    '',
    `Terraform JSON written to ${s.outdir}/stacks/<stack>/cdk.tf.json. Outputs per region: findings_topic_arn, dlq_url, results_topic_arn, alarms_topic_arn.`,
    'Review a member role policy with: npx cloudmend policy --account <id>',
  );
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  synthesize().then(
    (result) => process.stdout.write(result.summary),
    (error: unknown) => {
      // A user mistake gets its message alone; only a bug deserves a stack trace.
      process.stderr.write(`cloudmend: ${describeFailure(error)}\n`);
      process.exit(1);
    },
  );
}
