/**
 * `cloudmend invoke --event file.json [--dry-run] [--config cloudmend.yaml|runtime.json]`:
 * runs the handler's own code (parse, plan, assume the member role, run the
 * bots) on an event file and prints the plan and the results as tables. AWS
 * clients honour AWS_ENDPOINT_URL, so this also runs against an emulator.
 * Exit code: 0 when nothing failed, 1 when a result failed, 2 for usage errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RuntimeConfig } from '../config/runtime';
import type { PlannedRun } from '../handler/plan';
import type { RemediationResult } from '../handler/report';
import { parseOptions } from './args';
import { describeFailure, InputFileError, UsageError } from './errors';
import { table } from './table';

const USAGE = `usage: cloudmend invoke --event <file.json> [--config cloudmend.yaml|cloudmend.runtime.json] [--dry-run] [--region <region>] [--json] [--verbose]

Runs the remediation handler locally on an event (SNS, SQS, EventBridge or a
bare finding) with your current AWS credentials, assuming the member role in
the finding's account exactly as the deployed handler does.

  --event     event file (JSON)
  --config    cloudmend.yaml (with its inventory) or a runtime JSON; default ./cloudmend.yaml
  --dry-run   read and report, change nothing (also on when the config's mode is dry-run)
  --region    the handler's region, for findings that name none (default AWS_REGION or us-east-1)
  --json      print the results as JSON instead of tables
  --verbose   print the handler's JSON log lines on stderr`;

export interface InvokeIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const defaultIo: InvokeIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
};

/** A runtime JSON as the deployer ships it, or cloudmend.yaml built into one exactly as synth does. */
export async function runtimeConfigFrom(path: string, warn: (line: string) => void = () => {}): Promise<RuntimeConfig> {
  if (path.endsWith('.json')) {
    const { readRuntimeConfig } = await import('../handler/runtime-config');
    return readRuntimeConfig(path);
  }
  const { formatNotice, loadConfigWithWarnings } = await import('../config/load');
  const { loadInventory, scopeInventory } = await import('../config/inventory');
  const { buildRuntimeConfig } = await import('../stacks/runtime-config');
  const { botNames } = await import('../bots');
  // Every check synth applies, so what invoke runs could also be deployed; its warnings too.
  const { config, warnings } = loadConfigWithWarnings(path, { rollout: true });
  // Warnings only: the info lines are for synth and `cloudmend doctor`, which describe the deployment.
  for (const notice of warnings) if (notice.level === 'warning') warn(formatNotice(notice));
  const scoped = scopeInventory(loadInventory(config, path).inventory, config);
  return buildRuntimeConfig(config, scoped, botNames());
}

function planTable(runs: PlannedRun[]): string {
  if (runs.length === 0) return 'Plan: no bot to run.';
  return `Plan:\n${table(
    ['BOT', 'RESOURCE', 'ACCOUNT', 'REGION', 'SOURCE', 'REQUESTED BY', 'PARAMS'],
    runs.map((r) => [
      r.bot.meta.name,
      `${r.finding.resource.type} ${r.finding.resource.id}`,
      r.finding.account,
      r.finding.region,
      r.finding.source,
      r.requestedBy,
      JSON.stringify(r.params),
    ]),
  )}`;
}

function resultsTable(results: RemediationResult[]): string {
  const rows = results.flatMap((r) => {
    const details = [
      ...r.changes.map((c) => `  ${c.applied ? 'changed' : 'would change'}: ${c.description} (${c.action} ${c.target})`),
      ...(r.notes ?? []).map((n) => `  note: ${n}`),
    ];
    const main = [
      r.status,
      r.bot ?? '-',
      r.resource ? `${r.resource.type} ${r.resource.id}` : '-',
      r.account ?? '-',
      r.region ?? '-',
      String(Math.round(r.durationMs)),
      r.errorName && r.status === 'failed' ? `${r.message} [${r.errorName}]` : r.message,
    ];
    return [main, ...details.map((d) => ['', '', '', '', '', '', d])];
  });
  return `Results:\n${table(['STATUS', 'BOT', 'RESOURCE', 'ACCOUNT', 'REGION', 'MS', 'MESSAGE'], rows)}`;
}

export async function run(argv: string[], io: InvokeIo = defaultIo): Promise<number> {
  try {
    return await invoke(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`cloudmend invoke: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    io.err(`cloudmend invoke: ${describeFailure(error)}\n`);
    return 1;
  }
}

async function invoke(argv: string[], io: InvokeIo): Promise<number> {
  const values = parseOptions(
    argv,
    {
      event: { type: 'string' },
      config: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      region: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (!values.event) throw new UsageError('--event <file.json> is required', USAGE);

  const eventPath = resolve(io.cwd, values.event);
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (error) {
    throw new InputFileError(`cannot read the event ${eventPath}: ${(error as Error).message}`);
  }
  const configPath = resolve(io.cwd, values.config ?? 'cloudmend.yaml');
  if (!values.config && !existsSync(configPath))
    throw new UsageError('no ./cloudmend.yaml here: pass --config cloudmend.yaml or a cloudmend.runtime.json', USAGE);
  // On stderr: `--json` output on stdout stays one JSON document.
  const config = await runtimeConfigFrom(configPath, (line) => io.err(`cloudmend invoke: ${line}\n`));

  const [{ processEvent }, { MemberCredentialsCache }, { createLogger }, { effectiveDryRun, readInvocation }, bots] = await Promise.all([
    import('../handler/process-event'),
    import('../handler/credentials'),
    import('../handler/log'),
    import('../handler/runtime-config'),
    import('../bots'),
  ]);
  const region = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const invocation = readInvocation(event);
  const dryRun = effectiveDryRun(config, { dryRun: values['dry-run'] || invocation.dryRun }, io.env);
  const sts = async () => new (await import('@aws-sdk/client-sts')).STSClient({ region });
  const log = createLogger({ write: values.verbose ? (line) => io.err(`${line}\n`) : () => {} });
  const outcome = await processEvent(invocation.event, {
    config,
    registry: { getBot: bots.getBot, botNames: bots.botNames },
    credentials: new MemberCredentialsCache({ sts, config }),
    dryRun,
    defaultRegion: region,
    log,
  });

  if (values.json) {
    io.out(`${JSON.stringify(outcome.results, null, 2)}\n`);
  } else {
    const mode = dryRun ? 'dry run: nothing will be changed' : 'enforce: bots will make changes';
    io.out(`cloudmend invoke ${values.event} (${mode})\n\n${planTable(outcome.runs)}\n\n${resultsTable(outcome.results)}\n`);
  }
  const failed = outcome.results.filter((r) => r.status === 'failed');
  if (failed.length > 0 && !values.json) {
    io.out(
      `\n${failed.length} of ${outcome.results.length} result(s) failed` +
        // Unlike the deployed handler, invoke retries nothing: say what to do instead.
        `${outcome.retryable.length ? ` (${outcome.retryable.length} transient: invoke does not retry; run it again)` : ''}.\n`,
    );
  }
  return failed.length > 0 ? 1 : 0;
}
