/**
 * `npm run bench -- burst [--findings N] [--accounts A] [--throttle 0.2]`: a
 * burst of findings over many member accounts in 4 regions, through the
 * handler's processing path (processEvent with the handler's own credentials
 * cache, remediation state and publisher, one container per region) against a
 * moto server, with a share of all requests throttled by a fault-injecting
 * proxy on loopback. Deliveries are SQS batches of 10; a record that fails
 * retryably is delivered again, at most 3 times, then counted dead-lettered.
 *
 * Prints findings per second, AssumeRole calls per (account, bot),
 * state-table calls per finding, the final outcome counts, and checks that
 * every finding ends with exactly one final result (published, or
 * dead-lettered) and that the limits trip where configured.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '../config/runtime';
import type { RemediationResult } from '../handler/report';
import { startFaultProxy } from './fault-proxy';
import { startMoto } from './moto';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const MAX_RECEIVES = 3;
const BATCH = 10;
/** The handler's default reserved concurrency (10) in each of the 4 regions. */
const INVOCATIONS_AT_ONCE = 40;

interface Options {
  findings: number;
  accounts: number;
  throttle: number;
  perAccountPerHour: number;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const n = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number`);
    return n;
  };
  return {
    findings: value('findings', 10_000),
    accounts: value('accounts', 1_000),
    throttle: value('throttle', 0.2),
    perAccountPerHour: value('per-account-per-hour', 2),
  };
}

/** Deterministic, so two runs throttle the same share the same way. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'open' | 'blocked' | 'missing';

interface Planned {
  id: string;
  account: string;
  region: string;
  bucket: string;
  kind: Kind;
}

export async function runBurstBench(argv: string[] = []): Promise<void> {
  const options = parseOptions(argv);
  const moto = await startMoto();
  if ('unavailable' in moto) throw new Error(`the burst benchmark needs moto server: ${moto.unavailable}`);
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-burst-'));
  const env = { ...process.env };
  try {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL: moto.url });
    const [
      { S3Client, CreateBucketCommand, PutPublicAccessBlockCommand },
      { DynamoDBClient, CreateTableCommand },
      { SNSClient, CreateTopicCommand },
    ] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/client-dynamodb'), import('@aws-sdk/client-sns')]);
    const { STSClient } = await import('@aws-sdk/client-sts');
    const { assumeMemberRole } = await import('../handler/aws/assume-member-role');
    const { createClientFactory } = await import('../handler/aws/client-factory');

    const accounts = Array.from({ length: options.accounts }, (_, i) => String(100_000_000_000 + i));
    const random = prng(42);
    const planned: Planned[] = Array.from({ length: options.findings }, (_, i) => {
      const account = accounts[i % accounts.length]!;
      const region = REGIONS[Math.floor(i / accounts.length) % REGIONS.length]!;
      const roll = random();
      const kind: Kind = roll < 0.7 ? 'open' : roll < 0.9 ? 'blocked' : 'missing';
      return { id: `burst-${i}`, account, region, bucket: `burst-${account}-${i}`, kind };
    });

    // Seed straight to moto (no faults): buckets, some already blocked; a state table and results topic per region.
    process.stdout.write(`seeding ${planned.filter((p) => p.kind !== 'missing').length} buckets in ${options.accounts} accounts...\n`);
    const seedStarted = performance.now();
    const sts = new STSClient({ region: 'us-east-1' });
    const byAccount = new Map<string, Planned[]>();
    for (const p of planned) byAccount.set(p.account, [...(byAccount.get(p.account) ?? []), p]);
    const seedQueue = [...byAccount.entries()];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = seedQueue.shift(); next; next = seedQueue.shift()) {
          const [account, findings] = next;
          const credentials = await assumeMemberRole(sts, {
            partition: 'aws',
            account,
            roleName: 'CloudmendRemediation',
            externalId: 'cloudmend',
            sessionName: 'bench-seed',
          });
          for (const p of findings.filter((f) => f.kind !== 'missing')) {
            const s3 = createClientFactory({ region: p.region, credentials })(S3Client);
            await s3.send(
              new CreateBucketCommand({
                Bucket: p.bucket,
                ...(p.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: p.region as never } }),
              }),
            );
            if (p.kind === 'blocked') {
              const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
              await s3.send(new PutPublicAccessBlockCommand({ Bucket: p.bucket, PublicAccessBlockConfiguration: all }));
            }
          }
        }
      }),
    );
    const topics: Record<string, string> = {};
    for (const region of REGIONS) {
      await new DynamoDBClient({ region }).send(
        new CreateTableCommand({
          TableName: `cloudmend-state-${region}`,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
      topics[region] = (await new SNSClient({ region }).send(new CreateTopicCommand({ Name: `cloudmend-results-${region}` }))).TopicArn!;
    }
    process.stdout.write(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`);

    // Every request of the burst goes through the fault proxy: a share is throttled, the rest counted.
    const throttleRoll = prng(7);
    // Per (account, session name): the session name is the bot's (or the tag lookup's), so each is one (account, bot).
    const assumeCalls = new Map<string, { served: number; throttled: number; scopes: Set<string> }>();
    let stateCalls = 0;
    const proxy = await startFaultProxy(moto.url, (req) => {
      const fault = throttleRoll() < options.throttle ? 'throttle' : 'pass';
      if (String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_')) stateCalls += 1;
      if (req.body.includes('Action=AssumeRole')) {
        const params = new URLSearchParams(req.body);
        const account = params.get('RoleArn')?.split(':')[4] ?? '?';
        const key = `${account}|${params.get('RoleSessionName')}`;
        const entry = assumeCalls.get(key) ?? { served: 0, throttled: 0, scopes: new Set<string>() };
        if (fault === 'throttle') entry.throttled += 1;
        else entry.served += 1;
        // The session policy names the scope (the bot's resource, or the ids it read): one credential per scope is the floor.
        entry.scopes.add(params.get('Policy') ?? '');
        assumeCalls.set(key, entry);
      }
      return fault;
    });
    process.env.AWS_ENDPOINT_URL = proxy.url;

    const runtime: RuntimeConfig = {
      version: 1,
      mode: 'enforce',
      securityAccount: '111111111111',
      enabledBots: ['s3_block_all_public_access'],
      optIn: [],
      params: {},
      mappings: { guardduty: {}, securityHub: {}, config: {} },
      exclusionTag: { key: 'cloudmend:exclude' },
      memberRoleName: 'CloudmendRemediation',
      externalId: 'cloudmend',
      accounts: Object.fromEntries(accounts.map((a) => [a, 'Root/Bench'])),
      regions: REGIONS,
      limits: { perAccountPerHour: options.perAccountPerHour, perBotPerHour: 1_000_000, consecutiveFailures: 1_000_000 },
    };
    writeFileSync(join(dir, 'cloudmend.runtime.json'), JSON.stringify(runtime));

    const { processEvent } = await import('../handler/process-event');
    const { MemberCredentialsCache } = await import('../handler/credentials');
    const { createLogger } = await import('../handler/log');
    const { publishResults } = await import('../handler/report');
    const { createRemediationState } = await import('../handler/state');
    const { getBot, botNames } = await import('../bots');
    const log = createLogger({ write: () => {} });
    // One container per region, as Lambda keeps one per regional function.
    const containers = Object.fromEntries(
      REGIONS.map((region) => {
        const sts = new STSClient({ region });
        const sns = new SNSClient({ region });
        return [region, { credentials: new MemberCredentialsCache({ sts: async () => sts, config: runtime }), sns: async () => sns }];
      }),
    );

    const published = new Map<string, RemediationResult[]>();
    const deadLettered = new Set<string>();
    const receives = new Map<string, number>();
    const message = (p: Planned) =>
      JSON.stringify({
        id: p.id,
        rule: { name: 'S3 bucket allows public access', severity: 'High' },
        entity: { id: p.bucket, type: 'S3Bucket', region: p.region, accountNumber: p.account, tags: [{ key: 'owner', value: 'bench' }] },
        remediation: { actions: ['s3_block_all_public_access'] },
      });
    const sqsEvent = (batch: Planned[]) => ({
      Records: batch.map((p) => ({
        messageId: p.id,
        receiptHandle: p.id,
        body: message(p),
        attributes: { ApproximateReceiveCount: String(receives.get(p.id) ?? 1) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${p.region}:111111111111:cloudmend-findings`,
        awsRegion: p.region,
      })),
    });

    // Each region's queue: batches of 10, redelivered on retryable failure.
    let queue: Planned[] = REGIONS.flatMap((region) => planned.filter((p) => p.region === region));
    const started = performance.now();
    const firstHour = new Date().toISOString().slice(0, 13);
    let invocations = 0;
    while (queue.length > 0) {
      const batches: Planned[][] = [];
      for (const region of REGIONS) {
        const mine = queue.filter((p) => p.region === region);
        for (let i = 0; i < mine.length; i += BATCH) batches.push(mine.slice(i, i + BATCH));
      }
      const retry: Planned[] = [];
      const pending = [...batches];
      await Promise.all(
        Array.from({ length: INVOCATIONS_AT_ONCE }, async () => {
          for (let batch = pending.shift(); batch; batch = pending.shift()) {
            invocations += 1;
            const region = batch[0]!.region;
            const container = containers[region]!;
            for (const p of batch) receives.set(p.id, (receives.get(p.id) ?? 0) + 1);
            const state = createRemediationState({ tableName: `cloudmend-state-${region}`, region, limits: runtime.limits, log });
            let failedIds: Set<string>;
            try {
              const outcome = await processEvent(sqsEvent(batch), {
                config: runtime,
                registry: { getBot, botNames },
                credentials: container.credentials,
                dryRun: false,
                defaultRegion: region,
                log,
                state,
                publish: async (results) => {
                  await publishResults(results, { topicArn: topics[region]!, sns: container.sns });
                  for (const r of results.filter((x) => !x.retryable))
                    published.set(r.findingId, [...(published.get(r.findingId) ?? []), r]);
                },
              });
              failedIds = new Set(outcome.retryable.map((r) => r.recordId ?? r.findingId));
            } catch {
              // A failed publish fails the whole invocation: every record comes back.
              failedIds = new Set(batch.map((p) => p.id));
            }
            // A run of an hour says how far it is, on stderr so the summary on stdout stays what it was.
            if (invocations % 100 === 0)
              process.stderr.write(
                `  ${invocations} invocations, ${published.size + deadLettered.size} of ${options.findings} findings settled, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
              );
            for (const p of batch.filter((b) => failedIds.has(b.id))) {
              if ((receives.get(p.id) ?? 0) >= MAX_RECEIVES) deadLettered.add(p.id);
              else retry.push(p);
            }
          }
        }),
      );
      queue = retry;
    }
    const seconds = (performance.now() - started) / 1000;
    // Limits count per clock hour: a burst that crosses an hour may make the limit's worth of changes in each hour it spans.
    const hoursSpanned = firstHour === new Date().toISOString().slice(0, 13) ? 1 : 2;

    // Exactly one final result per finding: published once and not dead-lettered, or dead-lettered and never published.
    const counts: Record<string, number> = {};
    const problems: string[] = [];
    for (const p of planned) {
      const results = published.get(p.id) ?? [];
      if (deadLettered.has(p.id)) {
        counts['dead-lettered'] = (counts['dead-lettered'] ?? 0) + 1;
        if (results.length > 0) problems.push(`${p.id}: dead-lettered after publishing ${results.map((r) => r.status).join(', ')}`);
        continue;
      }
      if (results.length !== 1) problems.push(`${p.id}: ${results.length} final results (${results.map((r) => r.status).join(', ')})`);
      for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    }
    const pairs = assumeCalls.size;
    const sum = (pick: (e: { served: number; throttled: number; scopes: Set<string> }) => number) =>
      [...assumeCalls.values()].reduce((total, e) => total + pick(e), 0);
    const served = sum((e) => e.served);
    const throttledAssumes = sum((e) => e.throttled);
    const scopes = sum((e) => e.scopes.size);
    const botPairs = [...assumeCalls.keys()].filter((k) => !k.endsWith('|cloudmend-tag-lookup')).length;
    const limited = counts['rate-limited'] ?? 0;
    // Counters live in each region's table: the account limit holds per (account, region). A run in flight holds its
    // unit until it is known to have changed nothing, so under a burst a scope may stop short of the limit, never past it.
    const remediatedPerScope = new Map<string, number>();
    for (const p of planned) {
      if (published.get(p.id)?.[0]?.status !== 'remediated') continue;
      remediatedPerScope.set(`${p.account}|${p.region}`, (remediatedPerScope.get(`${p.account}|${p.region}`) ?? 0) + 1);
    }
    const mostInScope = Math.max(0, ...remediatedPerScope.values());
    if (mostInScope > options.perAccountPerHour * hoursSpanned)
      problems.push(
        `an (account, region) made ${mostInScope} changes, past its limit of ${options.perAccountPerHour} in each of the ${hoursSpanned} clock hour(s) the burst spanned`,
      );

    const lines = [
      `burst: ${options.findings} findings over ${options.accounts} accounts in ${REGIONS.length} regions, ${Math.round(options.throttle * 100)}% of requests throttled (${proxy.counts.throttle} of ${proxy.counts.throttle + proxy.counts.pass})`,
      `  ${(options.findings / seconds).toFixed(1)} findings/s (${seconds.toFixed(1)} s, ${invocations} invocations of <= ${BATCH} records, ${INVOCATIONS_AT_ONCE} at a time)`,
      `  AssumeRole calls per (account, bot): ${((served + throttledAssumes) / Math.max(1, pairs)).toFixed(2)} (${served} served + ${throttledAssumes} throttled and retried, over ${pairs} pairs: ${botPairs} bot, ${pairs - botPairs} tag lookup)`,
      `  served AssumeRole calls per session scope: ${(served / Math.max(1, scopes)).toFixed(2)} (${served} for ${scopes} distinct (account, bot, session policy); 1.00 = credentials never assumed twice for one scope)`,
      `  state-table calls per finding: ${(stateCalls / options.findings).toFixed(2)} (${stateCalls} calls, throttled retries included)`,
      `  remediated ${counts.remediated ?? 0}, already compliant ${counts['already-compliant'] ?? 0}, rate-limited ${limited} (limits.perAccountPerHour ${options.perAccountPerHour}: at most ${mostInScope} changes in any (account, region)), failed ${counts.failed ?? 0}, dead-lettered ${counts['dead-lettered'] ?? 0}, other ${
        Object.entries(counts)
          .filter(([k]) => !['remediated', 'already-compliant', 'rate-limited', 'failed', 'dead-lettered'].includes(k))
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
      problems.length === 0
        ? `  every finding ended with exactly one final result; none lost`
        : `  PROBLEMS (${problems.length}): ${problems.slice(0, 10).join('; ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await proxy.close();
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    process.env = env;
    moto.process.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
