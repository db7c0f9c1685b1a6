/**
 * Synth benchmark: synthetic organizations of 1,000, 5,000 and 20,000 accounts
 * in 20 OUs across the 17 default regions, in stackset mode (the default:
 * nearly flat in accounts) and terraform mode (linear: a provider per
 * account), each synthesized in a fresh child process (so peak RSS is that
 * synth's alone) with a stand-in zip: bundling is paid once per real synth and
 * measured by the handler bench.
 *
 *   npm run bench -- synth
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Mode = 'stackset' | 'terraform';

export interface SynthMeasurement {
  mode: Mode;
  accounts: number;
  regions: number;
  stacks: number;
  /** Wall time of building and synthesizing the app (module loading included). */
  seconds: number;
  /** CPU time (user + system) of the child: less sensitive than wall time to other work on a shared machine. */
  cpuSeconds: number;
  /** Peak resident set of the child process. */
  peakRssMb: number;
  /** Provider blocks in the busiest stack: Terraform starts one provider process (~100 MB) per block when planning it. */
  maxProvidersPerStack: number;
}

export const TARGETS: Record<Mode, { seconds: Record<number, number>; rssMb: number }> = {
  stackset: { seconds: { 1000: 5, 5000: 5, 20000: 5 }, rssMb: 300 },
  terraform: { seconds: { 1000: 5, 5000: 15 }, rssMb: 500 },
};
export const SIZES: Record<Mode, number[]> = { stackset: [1000, 5000, 20000], terraform: [1000, 5000] };

/** Runs in the child: `tsx bench/synth.ts --child <mode> <accounts> <outdir>`. */
async function child(mode: Mode, accounts: number, outdir: string): Promise<void> {
  const started = process.hrtime.bigint();
  const { App } = await import('cdktf');
  const { botNames } = await import('../bots');
  const { CloudmendConfig } = await import('../config/schema');
  const { DEFAULT_REGIONS } = await import('../config/regions');
  const { staticInventory } = await import('../config/inventory');
  const { buildStacks, prepareDeployment } = await import('../stacks/app');
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i * 7919));
  const units = Array.from({ length: 20 }, (_, u) => [`Root/Unit${u}`, `ou-bnch-unit${String(u).padStart(4, '0')}`] as const);
  const config = CloudmendConfig.parse({
    securityAccount: ids[0],
    regions: { include: [...DEFAULT_REGIONS] },
    organization: {
      // A large organization is discovered, so the inventory carries its id and OU ids; the static form says the same.
      id: 'o-bench00000',
      ouIds: { Root: 'r-bnch', ...Object.fromEntries(units) },
      accounts: ids.map((id, i) => ({ id, name: `account-${i}`, ou: `Root/Unit${i % 20}` })),
      excludeOus: ['Root/Unit19'],
    },
    roles: { deployment: mode },
    bots: { enabled: 'all' },
    mappings: { securityHub: { 'S3.14': ['s3_enable_versioning'] } },
  });
  const prepared = prepareDeployment(config, staticInventory(config), botNames());
  const zipFile = join(outdir, 'handler.zip');
  writeFileSync(zipFile, 'stand-in');
  const app = new App({ outdir, stackTraces: false });
  const loaded = process.hrtime.bigint();
  const plan = buildStacks(app, {
    ...prepared,
    code: { zipFile, zipSha256: '0'.repeat(64) },
    outdir: '.',
    baseDir: outdir,
  });
  const built = process.hrtime.bigint();
  app.synth();
  if (process.env.CLOUDMEND_BENCH_PHASES) {
    process.stderr.write(
      `load ${Number(loaded - started) / 1e9}s build ${Number(built - loaded) / 1e9}s synth ${Number(process.hrtime.bigint() - built) / 1e9}s\n`,
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { readdirSync, readFileSync } = await import('node:fs');
  let maxProvidersPerStack = 0;
  for (const stack of readdirSync(join(outdir, 'stacks'))) {
    const tf = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { provider?: { aws?: unknown[] } };
    maxProvidersPerStack = Math.max(maxProvidersPerStack, tf.provider?.aws?.length ?? 0);
  }
  const result: SynthMeasurement = {
    mode,
    accounts,
    regions: plan.regions.length,
    stacks: plan.handlerStacks.length + plan.shards.length + (plan.stackSetStack ? 1 : 0),
    maxProvidersPerStack,
    seconds,
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function measureSynth(mode: Mode, accounts: number): SynthMeasurement {
  const outdir = mkdtempSync(join(tmpdir(), 'cloudmend-bench-synth-'));
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', mode, String(accounts), outdir], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(output.trim().split('\n').pop()!) as SynthMeasurement;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function runSynthBench(sizes: Record<Mode, number[]> = SIZES): Promise<SynthMeasurement[]> {
  const results: SynthMeasurement[] = [];
  const os = await import('node:os');
  process.stdout.write('synth (fresh process each; module loading included)\n');
  process.stdout.write(
    `  (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs: wall time inflates when the machine is shared)\n`,
  );
  process.stdout.write('  mode       accounts  regions  stacks  providers/stack   wall s    cpu s  peak RSS  target\n');
  for (const mode of Object.keys(sizes) as Mode[]) {
    for (const accounts of sizes[mode]) {
      const m = measureSynth(mode, accounts);
      results.push(m);
      const target = TARGETS[mode].seconds[accounts];
      const rss = TARGETS[mode].rssMb;
      const verdict = [
        target === undefined ? '' : `${m.seconds <= target ? 'ok' : 'MISSED'} <= ${target} s`,
        `${m.peakRssMb < rss ? 'ok' : 'MISSED'} < ${rss} MB`,
      ]
        .filter(Boolean)
        .join(', ');
      process.stdout.write(
        `  ${mode.padEnd(9)}  ${String(accounts).padStart(8)}  ${String(m.regions).padStart(7)}  ${String(m.stacks).padStart(6)}  ${String(m.maxProvidersPerStack).padStart(15)}  ${m.seconds.toFixed(2).padStart(7)} ${m.cpuSeconds.toFixed(2).padStart(8)}  ${m.peakRssMb.toFixed(0).padStart(5)} MB  ${verdict}\n`,
      );
    }
  }
  return results;
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as Mode, Number(process.argv[4]), process.argv[5]!).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else if (require.main === module) {
  void runSynthBench();
}
