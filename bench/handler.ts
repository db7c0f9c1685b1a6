/**
 * Handler benchmark: per-event overhead (parse + plan + run machinery +
 * report: log line and SNS batch entries) with AWS mocked out (each bot's
 * run() resolves at once, nothing reaches the network), over ≥10,000 events
 * of every source; and the cold init of the bundled handler in fresh Node
 * processes.
 *
 *   npm run bench -- handler
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bot } from '../bots/types';
import type { RuntimeConfig } from '../config/runtime';

export const EVENT_TARGET_MS = 0.1;
export const INIT_TARGET_MS = 150;

const FIXTURES = join(__dirname, '../__tests__/fixtures');

export interface Stats {
  count: number;
  medianMs: number;
  p99Ms: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { count: sorted.length, medianMs: at(0.5), p99Ms: at(0.99) };
}

function fixture(name: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

/** Every source and envelope, each event with its own ids so nothing is cached by accident. */
function mixedEvents(count: number): unknown[] {
  const makers: ((i: number) => unknown)[] = [
    (i) => {
      const event = fixture('sns-envelope-cloudguard-s3.json');
      const message = JSON.parse(event.Records[0].Sns.Message);
      message.account.id = '222222222222';
      message.entity.id = `bucket-${i}`;
      message.rule.complianceTags = 'AUTO: s3_enable_versioning';
      event.Records[0].Sns.Message = JSON.stringify(message);
      return event;
    },
    (i) => {
      const event = fixture('guardduty-ec2-malicious-ip.json');
      event.detail.id = `gd-${i}`;
      return event;
    },
    (i) => {
      const event = fixture('securityhub-imported-s3.8.json');
      event.detail.findings[0].Id = `sh-${i}`;
      event.detail.findings[0].AwsAccountId = '222222222222';
      return event;
    },
    (i) => {
      const event = fixture('config-s3-versioning.json');
      event.id = `cfg-${i}`;
      return event;
    },
    (i) => {
      const event = fixture('seed-simplified-s3.json');
      event.entity.id = `seed-${i}`;
      event.remediation.actions = ['s3_enable_versioning'];
      return event;
    },
    (i) => ({ ...fixture('sqs-batch-mixed.json'), i }),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!(i));
}

function benchConfig(enabled: string[]): RuntimeConfig {
  return {
    version: 1,
    mode: 'enforce',
    securityAccount: '111111111111',
    enabledBots: enabled,
    optIn: [],
    params: {},
    mappings: {
      guardduty: { 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom': ['ec2_stop_instance'] },
      securityHub: { 'S3.8': ['s3_block_all_public_access'] },
      config: {
        's3-bucket-versioning-enabled': ['s3_enable_versioning'],
        'vpc-flow-logs-enabled': ['vpc_turn_on_flow_logs traffic_type=reject'],
      },
    },
    exclusionTag: { key: 'cloudmend:exclude' },
    memberRoleName: 'CloudmendRemediation',
    externalId: 'cloudmend',
    accounts: { '111111111111': 'Root', '123456789012': 'Root', '222222222222': 'Root', '333333333333': 'Root' },
    regions: ['us-east-1', 'us-east-2', 'eu-west-1'],
  };
}

export async function measureEvents(count = 12_000): Promise<Stats & { results: number }> {
  const { processEvent } = await import('../handler/process-event');
  const { createLogger } = await import('../handler/log');
  const { publishBatches } = await import('../handler/report');
  const { BOTS } = await import('../bots');
  // Real metadata and params schemas; run() mocked: no SDK client, no network.
  const mocked = new Map<string, Bot>(
    BOTS.map((bot) => [
      bot.meta.name,
      { meta: bot.meta, run: async () => ({ status: 'already-compliant', message: 'mocked', changes: [] }) },
    ]),
  );
  const registry = { getBot: (name: string) => mocked.get(name), botNames: () => [...mocked.keys()] };
  const credentials = {
    forRun: async () => ({
      credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: new Date(Date.now() + 3_600_000) },
      sessionPolicy: { Version: '2012-10-17' as const, Statement: [] },
    }),
  };
  let sink = 0;
  const deps = {
    config: benchConfig([...mocked.keys()]),
    registry,
    credentials,
    dryRun: false,
    defaultRegion: 'us-east-1',
    log: createLogger({ write: (line: string) => (sink += line.length) }),
    // Bots are stubbed; the only client left is the exclusion-tag lookup, answered as AWS would for an untagged resource.
    clientFactory: () => (() => ({ send: async () => ({ ResourceTagMappingList: [], Tags: [], TagSet: [] }) })) as never,
    publish: async (results: Parameters<typeof publishBatches>[0]) => {
      sink += publishBatches(results).length;
    },
  };
  const events = mixedEvents(count + 1000);
  for (const event of events.slice(0, 1000)) await processEvent(event, deps); // warm-up: JIT
  const samples: number[] = [];
  let results = 0;
  for (const event of events.slice(1000)) {
    const started = performance.now();
    const outcome = await processEvent(event, deps);
    samples.push(performance.now() - started);
    results += outcome.results.length;
  }
  if (sink === 0) throw new Error('benchmark produced no output');
  return { ...stats(samples), results };
}

export interface InitMeasurement {
  bundleBytes: number;
  entryBytes: number;
  bundler: string;
  init: Stats;
  firstInvoke: Stats;
}

/** Bundles handler/index.ts as the deployer does, then loads it in fresh processes. */
export async function measureColdInit(runs = 9): Promise<InitMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-bench-'));
  try {
    const { bundleHandler } = await import('../stacks/bundle');
    const bundle = await bundleHandler({ outDir: dir, cwd: join(__dirname, '..') });
    const bundleFile = bundle.bundleFile;
    const bundler = 'stacks/bundle.ts (ESM, split chunks)';
    const configFile = join(dir, 'cloudmend.runtime.json');
    writeFileSync(configFile, JSON.stringify(benchConfig([])));
    const eventFile = join(dir, 'event.json');
    // A finding that passed: the whole path but no AWS call.
    writeFileSync(eventFile, readFileSync(join(FIXTURES, 'cloudguard-s3-passed.json')));
    // The Lambda Node.js runtime imports an .mjs handler as an ES module: so does the probe.
    const probe = `
      const t0 = process.hrtime.bigint();
      const m = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
      const t1 = process.hrtime.bigint();
      const { readFileSync } = await import('node:fs');
      await m.handler(JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8')));
      const t2 = process.hrtime.bigint();
      process.stdout.write(JSON.stringify({ init: Number(t1 - t0) / 1e6, first: Number(t2 - t1) / 1e6 }));`;
    const inits: number[] = [];
    const firsts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
        env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', CLOUDMEND_RUNTIME_CONFIG: configFile, LOG_LEVEL: 'ERROR' },
        encoding: 'utf8',
      });
      const { init, first } = JSON.parse(out) as { init: number; first: number };
      inits.push(init);
      firsts.push(first);
    }
    return { bundleBytes: bundle.bytes, entryBytes: bundle.entryBytes, bundler, init: stats(inits), firstInvoke: stats(firsts) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (n: number) => `${n < 1 ? n.toFixed(4) : n.toFixed(1)} ms`;

export async function runHandlerBench(): Promise<void> {
  const events = await measureEvents();
  const cold = await measureColdInit();
  const verdict = (value: number, target: number) => (value <= target ? 'ok' : 'OVER');
  const rows = [
    ['measure', 'median', 'p99', 'target', ''],
    [
      'per event (parse+plan+run+report, AWS mocked)',
      ms(events.medianMs),
      ms(events.p99Ms),
      `median < ${EVENT_TARGET_MS} ms`,
      verdict(events.medianMs, EVENT_TARGET_MS),
    ],
    [
      'cold init (import bundle entry)',
      ms(cold.init.medianMs),
      ms(cold.init.p99Ms),
      `<= ${INIT_TARGET_MS} ms`,
      verdict(cold.init.medianMs, INIT_TARGET_MS),
    ],
    ['first invocation after init (no AWS call)', ms(cold.firstInvoke.medianMs), ms(cold.firstInvoke.p99Ms), '', ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  process.stdout.write(
    `\nHandler (${events.count} events of 6 shapes -> ${events.results} results; init over ${cold.init.count} fresh processes, ` +
      `bundle ${(cold.bundleBytes / 1024).toFixed(0)} KiB, entry ${(cold.entryBytes / 1024).toFixed(0)} KiB, via ${cold.bundler}, node ${process.version})\n${lines.join('\n')}\n`,
  );
}

if (require.main === module) {
  runHandlerBench().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
