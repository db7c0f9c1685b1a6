/**
 * Per-event cost against the floor: one CloudGuard S3 event end to end through
 * the shipped bundle (SNS envelope -> parse -> plan -> member credentials ->
 * s3_enable_versioning -> result log line and metrics), against the S3 calls
 * the remediation needs made directly with the SDK: the live read of the
 * bucket's tags that the exclusion decision must rest on (GetBucketTagging,
 * fail closed; issue #10), then the bot's GetBucketVersioning and
 * PutBucketVersioning. One process, interleaved, against a moto server started here.
 *
 * The floor holds the credentials a least-privilege caller must: the tag read
 * in a session allowing only that read, the bot's calls in the bot's session
 * (each narrowed to the bucket, as the handler's are). The bot's session does
 * not allow GetBucketTagging, so one client for all three calls would be
 * denied on AWS; moto does not enforce session policies, which is how the
 * floor once did it. One client per session, each reused, as the handler's.
 *
 *   npm run bench -- e2e [iterations] [--profile] [--in-process]
 *
 * `--in-process` answers AWS from canned replies served by the measuring
 * process instead of moto: no emulator noise, so the handler's own cost per
 * event can be compared between two builds on a busy machine.
 *
 * The loop runs in a plain `node` process, as Lambda runs the bundle; the
 * parent (tsx) only starts moto, bundles, and sets up the member account.
 * Steady state, as a warm Lambda container sees it: the member credentials are
 * cached (one AssumeRole in the warm-up), and before every measured operation
 * the bucket's versioning is set back to Suspended (not timed, by a plain request
 * through neither arm's SDK), so each one reads and writes. The results topic
 * is not configured: publishing the report is one more request, outside the
 * bot's floor.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { RuntimeConfig } from '../config/runtime';
import { startMoto } from './moto';

export const RATIO_TARGET = 1.05;

const MEMBER = '222222222222';
const REGION = 'us-east-1';
const BOT = 's3_enable_versioning';
const FIXTURES = join(__dirname, '../__tests__/fixtures');

const runtimeConfig: RuntimeConfig = {
  version: 1,
  mode: 'enforce',
  securityAccount: '111111111111',
  enabledBots: [BOT],
  optIn: [],
  params: {},
  mappings: { guardduty: {}, securityHub: {}, config: {} },
  exclusionTag: { key: 'cloudmend:exclude' },
  memberRoleName: 'CloudmendRemediation',
  externalId: 'cloudmend',
  accounts: { '111111111111': 'Root/Security', [MEMBER]: 'Root/Prod' },
  regions: [REGION],
};

/** The CloudGuard S3 fixture in its SNS envelope, asking for the bot on `bucket` in the member account. */
function cloudGuardEvent(bucket: string): unknown {
  const event = JSON.parse(readFileSync(join(FIXTURES, 'sns-envelope-cloudguard-s3.json'), 'utf8')) as {
    Records: { Sns: { Message: string } }[];
  };
  const record = event.Records[0];
  if (!record) throw new Error('sns-envelope-cloudguard-s3.json has no record');
  const message = JSON.parse(record.Sns.Message) as Record<string, Record<string, unknown>>;
  record.Sns.Message = JSON.stringify({
    ...message,
    region: REGION,
    account: { ...message.account, id: MEMBER },
    rule: { ...message.rule, complianceTags: `AUTO: ${BOT}` },
    entity: { ...message.entity, id: bucket, name: bucket, accountNumber: MEMBER, region: REGION },
  });
  return event;
}

const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export interface E2eMeasurement {
  iterations: number;
  endToEndMs: number;
  directMs: number;
  /** Median end to end over median direct. */
  ratio: number;
  /** The median of each adjacent pair's ratio: steadier when the machine is shared, as drift hits both halves of a pair alike. */
  pairedRatio: number;
  /** Median CPU time (user + system) of the measuring process per operation. */
  cpu: { endToEndMs: number; directMs: number };
  /**
   * Median wall time of each stretch of an operation, both arms: before the
   * first request, each request and response, the gaps between them, and after
   * the last response. The handler's own stretches are the gaps.
   */
  timeline: Array<{ stretch: string; endToEndMs: number; directMs: number }>;
  /** With `--profile`: where the measuring process spent its CPU, by function and origin. */
  profile?: ProfileSummary;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by origin: the bundle's own code, the AWS SDK and its deps inside the bundle, node_modules, node internals, idle/GC. */
  byOrigin: Record<string, number>;
  /** The bundle's own functions (handler, bots, their libraries) with the most self time. */
  top: Array<{ fn: string; origin: string; ms: number }>;
}

/** Self time per function of the V8 CPU profile the loop wrote: where the handler's extra CPU goes. */
function summariseProfile(profileDir: string, bundleFile: string): ProfileSummary {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile in ${profileDir}`);
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const bundleUrl = pathToFileURL(bundleFile).href;
  const bundleDir = bundleUrl.slice(0, bundleUrl.lastIndexOf('/') + 1);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const originOf = (node: ProfileNode): string => {
    const { url, functionName } = node.callFrame;
    if (url === bundleUrl) return 'bundle';
    if (url.startsWith(bundleDir))
      return url.includes('/chunks/') && !/chunks\/(handler|bots)/.test(url) ? 'bundle chunks (SDK)' : 'bundle';
    if (url.includes('/node_modules/')) return "node_modules (the floor's SDK)";
    if (url.startsWith('node:') || url === '') return functionName.startsWith('(') ? functionName : 'node internals';
    return 'other';
  };
  const byOrigin: Record<string, number> = {};
  const byFunction = new Map<string, { fn: string; origin: string; ms: number }>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const origin = originOf(node);
    byOrigin[origin] = (byOrigin[origin] ?? 0) + us / 1000;
    // Node internals and the SDK are the same code on both sides: the bundle's own functions are what the handler adds.
    if (origin !== 'bundle') continue;
    const where = node.callFrame.url.slice(node.callFrame.url.lastIndexOf('/') + 1);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
    const entry = byFunction.get(key) ?? { fn: key, origin, ms: 0 };
    entry.ms += us / 1000;
    byFunction.set(key, entry);
  }
  const top = [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, 25);
  return { totalMs: totalUs / 1000, byOrigin, top };
}

/**
 * The measuring loop, run by plain `node` as the Lambda runtime runs the bundle
 * (tsx's module hooks would tax every dynamic import the bundle makes). The
 * floor uses the SDK from node_modules, in the same process.
 */
const LOOP = `
const setup = JSON.parse(process.env.BENCH_SETUP);
if (setup.canned) {
  // --in-process: AWS answered by canned replies from this process, so both arms pay the same few µs per
  // request and no emulator's variance: what is left between them is what the handler adds.
  const { createServer } = await import('node:http');
  const replies = JSON.parse(process.env.BENCH_CANNED);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const reply = body.includes('Action=AssumeRole') ? replies.assumeRole
        : req.url.includes('tagging') ? replies.noTagSet
        : req.url.includes('versioning') ? (req.method === 'GET' ? replies.versioningSuspended : replies.empty)
        : replies.unexpected;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  server.unref();
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:' + server.address().port;
}
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const { S3Client, GetBucketTaggingCommand, GetBucketVersioningCommand, PutBucketVersioningCommand } = await import('@aws-sdk/client-s3');
const revive = (c) => ({ ...c, expiration: new Date(c.expiration) });
const direct = new S3Client({ region: setup.region, forcePathStyle: true, credentials: revive(setup.direct) });
const lookup = new S3Client({ region: setup.region, forcePathStyle: true, credentials: revive(setup.lookup) });
// Before each operation, untimed, the bucket's versioning goes back to Suspended so the bot writes again. Not through
// either arm's SDK: done with the node_modules SDK, as it once was, it ran the very code the floor runs next and warmed
// it for the floor alone (the floor's first stretch measured 0.15-0.2 ms shorter than with this neutral reset; the
// bundle carries its own copy of the SDK). A plain request moto accepts unsigned; canned S3 always answers Suspended.
const suspend = setup.canned
  ? async () => {}
  : async (Bucket) => {
      const response = await fetch(process.env.AWS_ENDPOINT_URL + '/' + Bucket + '?versioning', {
        method: 'PUT',
        headers: {
          // Moto reads the account from the access key and does not check the signature.
          authorization: 'AWS4-HMAC-SHA256 Credential=' + setup.admin.accessKeyId + '/20260101/' + setup.region + '/s3/aws4_request, SignedHeaders=host, Signature=0',
          'x-amz-security-token': setup.admin.sessionToken,
          'content-type': 'application/xml',
        },
        body: '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>',
      });
      const text = await response.text();
      if (!response.ok) throw new Error('could not set versioning on ' + Bucket + ' back to Suspended: ' + response.status + ' ' + text);
    };
// CPU time of this process per operation: what the handler adds, less blurred by a busy machine than wall time.
const cpuMs = { e2e: [], direct: [] };
// Where the wall time goes: each request's start and each response's end, from Node's own HTTP client events.
const { subscribe } = await import('node:diagnostics_channel');
let marks;
subscribe('http.client.request.start', () => marks?.push(performance.now()));
subscribe('http.client.response.finish', () => marks?.push(performance.now()));
const timeline = { e2e: [], direct: [] };
const gapsOf = (started, ended) => [...marks, ended].map((t, i, all) => t - (i === 0 ? started : all[i - 1]));
const endToEnd = async () => {
  await suspend(setup.e2eBucket);
  const cpu = process.cpuUsage();
  marks = [];
  const started = performance.now();
  const outcome = await handler(setup.event);
  const elapsed = performance.now() - started;
  timeline.e2e.push(gapsOf(started, started + elapsed));
  marks = undefined;
  const used = process.cpuUsage(cpu);
  if (outcome?.results?.remediated !== 1) throw new Error('the handler did not remediate: ' + JSON.stringify(outcome));
  cpuMs.e2e.push((used.user + used.system) / 1000);
  return elapsed;
};
const floor = async () => {
  await suspend(setup.directBucket);
  const cpu = process.cpuUsage();
  marks = [];
  const started = performance.now();
  // An untagged bucket answers NoSuchTagSet, as the handler's lookup expects.
  await lookup.send(new GetBucketTaggingCommand({ Bucket: setup.directBucket })).catch((error) => {
    if (error.name !== 'NoSuchTagSet') throw error;
  });
  const current = await direct.send(new GetBucketVersioningCommand({ Bucket: setup.directBucket }));
  if (current.Status !== 'Enabled') {
    await direct.send(new PutBucketVersioningCommand({ Bucket: setup.directBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  const elapsed = performance.now() - started;
  timeline.direct.push(gapsOf(started, started + elapsed));
  marks = undefined;
  const used = process.cpuUsage(cpu);
  cpuMs.direct.push((used.user + used.system) / 1000);
  return elapsed;
};
// The handler's log lines and EMF metrics are part of its cost: written, to a sink.
const write = process.stdout.write.bind(process.stdout);
let logged = 0;
process.stdout.write = (chunk) => ((logged += chunk.length), true);
for (let i = 0; i < setup.warmup; i++) {
  await endToEnd();
  await floor();
}
cpuMs.e2e.length = 0;
cpuMs.direct.length = 0;
timeline.e2e.length = 0;
timeline.direct.length = 0;
const e2e = [];
const direct_ = [];
for (let i = 0; i < setup.iterations; i++) {
  // Alternate which goes first, so drift in the emulator or the machine hits both alike.
  if (i % 2 === 0) {
    e2e.push(await endToEnd());
    direct_.push(await floor());
  } else {
    direct_.push(await floor());
    e2e.push(await endToEnd());
  }
}
process.stdout.write = write;
if (logged === 0) throw new Error('the handler logged nothing');
write(JSON.stringify({ e2e, direct: direct_, cpuMs, timeline }));
`;

/** What the canned AWS of `--in-process` answers: moto's replies to the same requests, without XML namespaces (the SDK's parser needs none, and no AWS host is written here). */
function cannedReplies(): Record<string, { status: number; headers: Record<string, string>; body: string }> {
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  const xml = { 'content-type': 'application/xml' };
  return {
    assumeRole: {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIABENCH</AccessKeyId><SecretAccessKey>bench</SecretAccessKey><SessionToken>bench</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${MEMBER}:assumed-role/${runtimeConfig.memberRoleName}/bench</Arn><AssumedRoleId>AROABENCH:bench</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
    },
    noTagSet: {
      status: 404,
      headers: xml,
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchTagSet</Code><Message>The TagSet does not exist</Message></Error>',
    },
    versioningSuspended: {
      status: 200,
      headers: xml,
      body: '<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>',
    },
    empty: { status: 200, headers: {}, body: '' },
    unexpected: { status: 400, headers: xml, body: '<Error><Code>BenchUnexpectedRequest</Code></Error>' },
  };
}

/** The environment of the measuring process, as Lambda gives the function (plus what the loop reads). */
function loopEnv(dir: string, extra: Record<string, string>): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    // As in Lambda: the handler also writes its EMF metrics.
    AWS_LAMBDA_FUNCTION_NAME: `cloudmend-handler-${REGION}`,
    CLOUDMEND_RUNTIME_CONFIG: join(dir, 'cloudmend.runtime.json'),
    ...extra,
  };
}

/** What the loop is told: the event, both arms' credentials and buckets, how many operations. */
function loopSetup(options: { admin: object; direct: object; lookup: object; canned: boolean; iterations: number; warmup: number }) {
  return {
    region: REGION,
    ...options,
    e2eBucket: 'e2e-target',
    directBucket: 'direct-target',
    event: cloudGuardEvent('e2e-target'),
  };
}

export async function measureEndToEnd(
  iterations = 300,
  warmup = 40,
  profile = false,
  inProcess = false,
): Promise<E2eMeasurement | { unavailable: string }> {
  if (inProcess) return measureAgainstCannedAws(iterations, warmup, profile);
  const moto = await startMoto();
  if ('unavailable' in moto) return moto;
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-bench-e2e-'));
  const root = join(__dirname, '..');
  const env = loopEnv(dir, { AWS_ENDPOINT_URL: moto.url });
  const saved = { ...process.env };
  try {
    writeFileSync(join(dir, 'cloudmend.runtime.json'), JSON.stringify(runtimeConfig));
    Object.assign(process.env, env);
    const [{ bundleHandler }, { S3Client, CreateBucketCommand }, { STSClient }] = await Promise.all([
      import('../stacks/bundle'),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-sts'),
    ]);
    const { assumeMemberRole } = await import('../handler/aws/assume-member-role');
    const { sessionPolicyFor } = await import('../bots/permissions');
    const { getBot } = await import('../bots');
    const { tagLookupRun } = await import('../handler/resource-tags');
    const bundle = await bundleHandler({ outDir: join(dir, 'bundle'), cwd: root, minify: !profile });

    // The floor uses the credentials the handler would: the member role, narrowed by the bot's session policy.
    const bot = getBot(BOT);
    if (!bot) throw new Error(`${BOT} is not in the catalog`);
    const member = (sessionPolicy?: ReturnType<typeof sessionPolicyFor>) =>
      assumeMemberRole(new STSClient({ region: REGION }), {
        partition: 'aws',
        account: MEMBER,
        roleName: runtimeConfig.memberRoleName,
        externalId: runtimeConfig.externalId,
        sessionName: 'cloudmend-bench',
        ...(sessionPolicy ? { sessionPolicy } : {}),
      });
    const admin = await member();
    const adminS3 = new S3Client({ region: REGION, forcePathStyle: true, credentials: admin });
    for (const Bucket of ['e2e-target', 'direct-target']) await adminS3.send(new CreateBucketCommand({ Bucket }));
    const scope = { partition: 'aws', account: MEMBER, region: REGION, resourceId: 'direct-target' };
    // The handler's tag-lookup pseudo-bot for buckets: its session policy is the lookup's.
    const lookupMeta = tagLookupRun({} as never, { via: 's3:GetBucketTagging', bucket: 'direct-target', region: REGION }).bot.meta;
    const setup = loopSetup({
      admin,
      direct: await member(sessionPolicyFor(bot.meta, scope)),
      lookup: await member(sessionPolicyFor(lookupMeta, scope)),
      canned: false,
      iterations,
      warmup,
    });
    return await runLoop({ root, dir, env, bundleFile: bundle.bundleFile, setup, iterations, profile });
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    moto.process.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoopRun {
  root: string;
  dir: string;
  env: Record<string, string | undefined>;
  bundleFile: string;
  setup: Record<string, unknown>;
  iterations: number;
  profile: boolean;
}

/** Runs LOOP in a plain node process and reduces its samples to medians. */
async function runLoop({ root, dir, env, bundleFile, setup, iterations, profile }: LoopRun): Promise<E2eMeasurement> {
  const profileDir = profile ? join(dir, 'profile') : undefined;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=100'] : [];
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeArgs, '--input-type=module', '-e', LOOP], {
    cwd: root,
    env: { ...env, BENCH_BUNDLE_URL: pathToFileURL(bundleFile).href, BENCH_SETUP: JSON.stringify(setup) },
    maxBuffer: 16 * 1024 * 1024,
  });
  const samples = JSON.parse(stdout) as {
    e2e: number[];
    direct: number[];
    cpuMs: { e2e: number[]; direct: number[] };
    timeline: { e2e: number[][]; direct: number[][] };
  };
  const endToEndMs = median(samples.e2e);
  const directMs = median(samples.direct);
  const pairedRatio = median(samples.e2e.map((ms, i) => ms / (samples.direct[i] ?? Number.NaN)));
  return {
    ...(profileDir ? { profile: summariseProfile(profileDir, bundleFile) } : {}),
    iterations,
    endToEndMs,
    directMs,
    ratio: endToEndMs / directMs,
    pairedRatio,
    cpu: { endToEndMs: median(samples.cpuMs.e2e), directMs: median(samples.cpuMs.direct) },
    timeline: alignTimelines(samples.timeline.e2e, samples.timeline.direct),
  };
}

/**
 * Both arms make the same requests in the same order, so their stretches line
 * up: before the first request, then per request its time to the response and
 * the gap to the next request, then after the last response. Operations with
 * another number of requests (a retry) are left out.
 */
function alignTimelines(e2e: number[][], direct: number[][]): E2eMeasurement['timeline'] {
  const usual = (ops: number[][]) => {
    const counts = new Map<number, number>();
    for (const op of ops) counts.set(op.length, (counts.get(op.length) ?? 0) + 1);
    const length = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    return { length, ops: ops.filter((op) => op.length === length) };
  };
  const a = usual(e2e);
  const b = usual(direct);
  if (a.length !== b.length || a.length < 2) return [];
  const requests = (a.length - 1) / 2;
  return Array.from({ length: a.length }, (_, i) => ({
    stretch:
      i === 0
        ? 'before the first request'
        : i === a.length - 1
          ? 'after the last response'
          : i % 2 === 1
            ? `request ${(i + 1) / 2} of ${requests}, to its response`
            : `between response ${i / 2} and request ${i / 2 + 1}`,
    endToEndMs: median(a.ops.map((op) => op[i] ?? 0)),
    directMs: median(b.ops.map((op) => op[i] ?? 0)),
  }));
}

/**
 * `--in-process`: the same two arms against canned AWS replies served from the
 * measuring process. No emulator, so no emulator noise: the difference between
 * the arms is the handler's own cost per event, steady enough to compare two
 * builds of it on a busy machine.
 */
async function measureAgainstCannedAws(iterations: number, warmup: number, profile: boolean): Promise<E2eMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-bench-e2e-'));
  const root = join(__dirname, '..');
  try {
    writeFileSync(join(dir, 'cloudmend.runtime.json'), JSON.stringify(runtimeConfig));
    const { bundleHandler } = await import('../stacks/bundle');
    const bundle = await bundleHandler({ outDir: join(dir, 'bundle'), cwd: root, minify: !profile });
    const credentials = {
      accessKeyId: 'ASIABENCH',
      secretAccessKey: 'bench',
      sessionToken: 'bench',
      expiration: new Date(Date.now() + 3_600_000),
    };
    const env = loopEnv(dir, { BENCH_CANNED: JSON.stringify(cannedReplies()) });
    const setup = loopSetup({ admin: credentials, direct: credentials, lookup: credentials, canned: true, iterations, warmup });
    return await runLoop({ root, dir, env, bundleFile: bundle.bundleFile, setup, iterations, profile });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runE2eBench(iterations?: number, profile = false, inProcess = false): Promise<void> {
  const result = await measureEndToEnd(iterations, undefined, profile, inProcess);
  if ('unavailable' in result) {
    process.stdout.write(`\nEnd to end against moto: SKIPPED, moto unavailable (${result.unavailable}); pip install "moto[server]"\n`);
    return;
  }
  // The target is set against moto; in-process the floor is a few canned replies, so only the difference means much.
  const verdict = (ratio: number) => (inProcess ? 'set against moto' : ratio <= RATIO_TARGET ? 'ok' : 'OVER');
  const { table } = await import('../cli/table');
  const rows = [
    [`CloudGuard S3 event through the bundle (${BOT})`, `${result.endToEndMs.toFixed(2)} ms`, ''],
    ["the same S3 calls made directly (tag read, then the bot's two)", `${result.directMs.toFixed(2)} ms`, ''],
    ['ratio of the medians', `${result.ratio.toFixed(3)}x`, `<= ${RATIO_TARGET}x: ${verdict(result.ratio)}`],
    ['median of the paired ratios', `${result.pairedRatio.toFixed(3)}x`, `<= ${RATIO_TARGET}x: ${verdict(result.pairedRatio)}`],
    ['CPU time per event through the bundle / direct', `${result.cpu.endToEndMs.toFixed(2)} / ${result.cpu.directMs.toFixed(2)} ms`, ''],
    ['CPU the handler adds per event', `${(result.cpu.endToEndMs - result.cpu.directMs).toFixed(2)} ms`, ''],
  ];
  const timeline =
    result.timeline.length === 0
      ? ''
      : `\nWhere the wall time goes (medians; the handler's own work is in the stretches outside the requests)\n${table(
          ['stretch', 'through the bundle', 'direct', 'difference'],
          result.timeline.map((t) => [
            t.stretch,
            `${t.endToEndMs.toFixed(3)} ms`,
            `${t.directMs.toFixed(3)} ms`,
            `${(t.endToEndMs - t.directMs >= 0 ? '+' : '') + (t.endToEndMs - t.directMs).toFixed(3)} ms`,
          ]),
        )}\n`;
  process.stdout.write(
    `\nEnd to end against ${inProcess ? "canned AWS replies in the measuring process (--in-process: the handler's own cost, no emulator noise)" : 'moto'} (${result.iterations} interleaved pairs, medians, node ${process.version})\n` +
      `${table(['measure', 'median', 'target'], rows)}\n${timeline}`,
  );
  if (result.profile) {
    const { totalMs, byOrigin, top } = result.profile;
    const share = (ms: number) => `${ms.toFixed(1)} ms (${((100 * ms) / totalMs).toFixed(1)}%)`;
    process.stdout.write(
      `\nCPU profile of the measuring process (${totalMs.toFixed(0)} ms sampled, warm-up included)\n` +
        `${table(
          ['origin', 'self time'],
          Object.entries(byOrigin)
            .sort((a, b) => b[1] - a[1])
            .map(([origin, ms]) => [origin, share(ms)]),
        )}\n` +
        `\nThe bundle's own functions with the most self time (built unminified for this run)\n${table(
          ['function file:line', 'self time'],
          top.map((t) => [t.fn, share(t.ms)]),
        )}\n`,
    );
  }
}
