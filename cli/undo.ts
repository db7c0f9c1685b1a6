/**
 * `cloudmend undo`: reverses what a remediation changed, from the change
 * journal in a region's state table (docs/state.md). Shows the plan, asks (or
 * `--yes`), and restores each change with credentials holding only that kind
 * of change's undo permissions, on that resource. Refuses, saying why, a change
 * that is irreversible, whose record expired, or whose resource changed after
 * the remediation.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { UNDO_SESSION_PREFIX } from '../bots/permissions';
import type { ClientFactory } from '../bots/types';
import type { UndoStep } from '../handler/state/undo';

const USAGE = `usage: cloudmend undo --region <region> (--result <id> | --finding <id> | --account <id> --since <time>)
                     [--yes] [--table <name>] [--member-role <name>] [--external-id <id>]

Reverses the changes of one result (the resultId of a published result), of
every result of a finding, or of every result in an account since a time
(ISO 8601, e.g. 2026-11-30T09:00:00Z). Shows the plan and asks before it
changes anything, unless --yes. Uses your AWS credentials in the security
account to read the region's state table and to assume the member role.`;

export interface UndoArgs {
  region: string;
  query: { resultId: string } | { findingId: string } | { account: string; since: Date };
  yes: boolean;
  table?: string | undefined;
  memberRole: string;
  externalId: string;
}

function parseUndoOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      region: { type: 'string' },
      result: { type: 'string' },
      finding: { type: 'string' },
      account: { type: 'string' },
      since: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      table: { type: 'string' },
      'member-role': { type: 'string' },
      'external-id': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

export async function parseUndoArgs(argv: string[]): Promise<UndoArgs | 'help' | string> {
  let values: ReturnType<typeof parseUndoOptions>['values'];
  try {
    ({ values } = parseUndoOptions(argv));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return 'help';
  const { KNOWN_REGIONS } = await import('../config/regions');
  if (!values.region || !KNOWN_REGIONS.has(values.region)) return '--region needs the region whose handler made the change, e.g. us-east-1';
  const chosen = [
    values.result && '--result',
    values.finding && '--finding',
    (values.account || values.since) && '--account/--since',
  ].filter(Boolean);
  if (chosen.length !== 1) return 'give exactly one of --result <id>, --finding <id>, or --account <id> --since <time>';
  let query: UndoArgs['query'];
  if (values.result) query = { resultId: values.result };
  else if (values.finding) query = { findingId: values.finding };
  else {
    if (!values.account || !/^\d{12}$/.test(values.account)) return '--account needs a 12-digit account id';
    const since = new Date(values.since ?? '');
    if (!values.since || Number.isNaN(since.getTime())) return '--since needs a time, e.g. 2026-11-30T09:00:00Z';
    query = { account: values.account, since };
  }
  return {
    region: values.region,
    query,
    yes: values.yes ?? false,
    table: values.table,
    memberRole: values['member-role'] ?? 'CloudmendRemediation',
    externalId: values['external-id'] ?? 'cloudmend',
  };
}

export interface UndoIo {
  out: (text: string) => void;
  /** Asks a yes/no question; true for yes. */
  confirm: (question: string) => Promise<boolean>;
  now: () => Date;
  /** Tests: sees (and may wrap) the clients each step restores with. */
  clients?: (step: UndoStep, factory: ClientFactory) => ClientFactory;
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const defaultIo: UndoIo = { out: (t) => process.stdout.write(t), confirm: ask, now: () => new Date() };

export async function undo(args: UndoArgs, io: UndoIo = defaultIo): Promise<number> {
  const [{ stateTableName }, { stateTable }, journal, plan, { getBot }] = await Promise.all([
    import('../config/runtime'),
    import('../handler/state/table'),
    import('../handler/state/journal'),
    import('../handler/state/undo'),
    import('../bots'),
  ]);
  const name = args.table ?? stateTableName(args.region);
  const table = stateTable(name, args.region);
  const now = io.now();
  const entries =
    'resultId' in args.query
      ? [await journal.readJournal(table, args.query.resultId, now)].filter((e) => e !== undefined)
      : await journal.findJournal(table, args.query, now);
  if (entries.length === 0) {
    const what =
      'resultId' in args.query
        ? `result ${args.query.resultId}`
        : 'findingId' in args.query
          ? `finding ${args.query.findingId}`
          : `account ${args.query.account} since ${args.query.since.toISOString()}`;
    io.out(
      `no change record for ${what} in ${name} (${args.region}): an unknown id, a result that changed nothing, or one recorded in another region; records are kept ${journal.JOURNAL_DAYS} days\n`,
    );
    return 1;
  }
  const steps = plan.planUndo(entries, getBot);
  io.out(`undo plan (${name}):\n`);
  for (const entry of entries) {
    io.out(`  result ${entry.resultId}: ${entry.bot} on ${entry.resourceId} in ${entry.account} (${entry.region}), ${entry.at}\n`);
    for (const step of steps.filter((s) => s.entry === entry)) {
      io.out(`    - ${step.change.action} on ${step.change.target}: ${step.refusal ? `REFUSED, ${step.refusal}` : step.how}\n`);
    }
  }
  const ready = steps.filter((s) => !s.refusal);
  if (ready.length === 0) {
    io.out('nothing can be undone; nothing changed\n');
    return 1;
  }
  if (!args.yes && !(await io.confirm(`restore ${ready.length} change(s)? [y/N] `))) {
    io.out('not confirmed; nothing changed\n');
    return 1;
  }
  const [{ STSClient }, { assumeMemberRole }, { createClientFactory }] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('../handler/aws/assume-member-role'),
    import('../handler/aws/client-factory'),
  ]);
  const sts = new STSClient({ region: args.region });
  const clientFor = async (step: (typeof steps)[number]) => {
    const credentials = await assumeMemberRole(sts, {
      partition: step.entry.partition,
      account: step.entry.account,
      roleName: args.memberRole,
      externalId: args.externalId,
      sessionPolicy: plan.undoSessionPolicy(step),
      sessionName: `${UNDO_SESSION_PREFIX}${step.entry.bot}`,
    });
    const factory = createClientFactory({ region: step.entry.region, credentials });
    return io.clients ? io.clients(step, factory) : factory;
  };
  const outcomes = await plan.executeUndo(ready, clientFor);
  for (const o of outcomes) io.out(`${o.status}: ${o.step.change.action} on ${o.step.change.target}: ${o.message}\n`);
  for (const entry of entries) {
    const mine = outcomes.filter((o) => o.step.entry === entry);
    if (mine.length > 0 && mine.every((o) => o.status === 'restored')) await journal.markUndone(table, entry.resultId, now);
  }
  return outcomes.every((o) => o.status === 'restored') && ready.length === steps.length ? 0 : 1;
}

export async function run(argv: string[]): Promise<number> {
  const args = await parseUndoArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof args === 'string') {
    process.stderr.write(`cloudmend undo: ${args}\n\n${USAGE}\n`);
    return 2;
  }
  return undo(args);
}
