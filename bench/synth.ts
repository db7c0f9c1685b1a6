/**
 * Synth benchmark: synthetic organizations of 100, 1,000 and 5,000 accounts
 * across the 17 default regions, each synthesized in a fresh child process
 * (so peak RSS is that synth's alone) with a stand-in zip: bundling is paid
 * once per real synth and measured by the handler bench.
 *
 *   npm run bench -- synth
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SynthMeasurement {
  accounts: number;
  regions: number;
  stacks: number;
  /** Wall time of building and synthesizing the app (module loading included). */
  seconds: number;
  /** CPU time (user + system) of the child: less sensitive than wall time to other work on a shared machine. */
  cpuSeconds: number;
  /** Peak resident set of the child process. */
  peakRssMb: number;
}

export const TARGETS: Record<number, number> = { 1000: 5, 5000: 15 };
export const RSS_TARGET_MB = 500;

/** Runs in the child: `tsx bench/synth.ts --child <accounts> <outdir>`. */
async function child(accounts: number, outdir: string): Promise<void> {
  const started = process.hrtime.bigint();
  const { App } = await import('cdktf');
  const { botNames } = await import('../bots');
  const { CloudmendConfig } = await import('../config/schema');
  const { DEFAULT_REGIONS } = await import('../config/regions');
  const { scopeInventory, staticInventory } = await import('../config/inventory');
  const { buildStacks } = await import('../stacks/app');
  const { buildRuntimeConfig, runtimeConfigDigest } = await import('../stacks/runtime-config');
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i * 7919));
  const config = CloudmendConfig.parse({
    securityAccount: ids[0],
    regions: { include: [...DEFAULT_REGIONS] },
    organization: { accounts: ids.map((id, i) => ({ id, name: `account-${i}`, ou: `Root/Unit${i % 20}` })) },
    bots: { enabled: 'all' },
    mappings: { securityHub: { 'S3.14': ['s3_enable_versioning'] } },
  });
  // A large organization is discovered, so the inventory carries its id (the handler role is bounded by it).
  const scoped = { ...scopeInventory(staticInventory(config), config), organizationId: 'o-bench00000' };
  const runtime = buildRuntimeConfig(config, scoped, botNames());
  const zipFile = join(outdir, 'handler.zip');
  writeFileSync(zipFile, 'stand-in');
  const app = new App({ outdir, stackTraces: false });
  const loaded = process.hrtime.bigint();
  const plan = buildStacks(app, {
    config,
    scoped,
    runtime,
    configDigest: runtimeConfigDigest(runtime),
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
  const result: SynthMeasurement = {
    accounts,
    regions: plan.regions.length,
    stacks: plan.handlerStacks.length + plan.shards.length,
    seconds,
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function measureSynth(accounts: number): SynthMeasurement {
  const outdir = mkdtempSync(join(tmpdir(), 'cloudmend-bench-synth-'));
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', String(accounts), outdir], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(output.trim().split('\n').pop()!) as SynthMeasurement;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function runSynthBench(sizes: number[] = [100, 1000, 5000]): Promise<SynthMeasurement[]> {
  const results: SynthMeasurement[] = [];
  process.stdout.write('synth (fresh process each; module loading included)\n');
  process.stdout.write(
    `  (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs: wall time inflates when the machine is shared)\n`,
  );
  process.stdout.write('  accounts  regions  stacks   wall s    cpu s  peak RSS  target\n');
  for (const accounts of sizes) {
    const m = measureSynth(accounts);
    results.push(m);
    const target = TARGETS[accounts];
    const verdict = [
      target === undefined ? '' : `${m.seconds <= target ? 'ok' : 'MISSED'} <= ${target} s`,
      `${m.peakRssMb < RSS_TARGET_MB ? 'ok' : 'MISSED'} < ${RSS_TARGET_MB} MB`,
    ]
      .filter(Boolean)
      .join(', ');
    process.stdout.write(
      `  ${String(accounts).padStart(8)}  ${String(m.regions).padStart(7)}  ${String(m.stacks).padStart(6)}  ${m.seconds.toFixed(2).padStart(8)} ${m.cpuSeconds.toFixed(2).padStart(8)}  ${m.peakRssMb.toFixed(0).padStart(5)} MB  ${verdict}\n`,
    );
  }
  return results;
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3]), process.argv[4]!).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else if (require.main === module) {
  void runSynthBench();
}
