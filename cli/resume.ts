/**
 * `cloudmend resume --account A --bot B --region R`: lifts the pause the
 * handler put on a bot after it failed `limits.consecutiveFailures` times in a
 * row in that account (docs/state.md). Runs with the operator's credentials in
 * the security account, against that region's state table.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: cloudmend resume --account <12-digit id> --bot <bot_name> --region <region> [--table <name>]

Lifts the pause of a bot in one account (one region's handler): its findings
there are remediated again, and its failure streak starts from zero. Uses your
AWS credentials in the security account (or AWS_ENDPOINT_URL).`;

export interface ResumeArgs {
  account: string;
  bot: string;
  region: string;
  table?: string | undefined;
}

function parseResumeOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      account: { type: 'string' },
      bot: { type: 'string' },
      region: { type: 'string' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

/** Parses and checks the arguments; a string is the error to print. */
export async function parseResumeArgs(argv: string[]): Promise<ResumeArgs | 'help' | string> {
  let values: ReturnType<typeof parseResumeOptions>['values'];
  try {
    ({ values } = parseResumeOptions(argv));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return 'help';
  if (!values.account || !/^\d{12}$/.test(values.account)) return '--account needs a 12-digit account id';
  const { botNames } = await import('../bots');
  const { closestMatch } = await import('../bots/suggest');
  if (!values.bot) return '--bot needs a bot name';
  if (!botNames().includes(values.bot)) {
    const suggestion = closestMatch(values.bot, botNames());
    return `--bot: no bot named "${values.bot}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
  }
  const { KNOWN_REGIONS } = await import('../config/regions');
  if (!values.region || !KNOWN_REGIONS.has(values.region))
    return '--region needs the region of the handler that paused the bot, e.g. us-east-1';
  return { account: values.account, bot: values.bot, region: values.region, table: values.table };
}

export async function run(argv: string[]): Promise<number> {
  const args = await parseResumeArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof args === 'string') {
    process.stderr.write(`cloudmend resume: ${args}\n\n${USAGE}\n`);
    return 2;
  }
  const { stateTableName } = await import('../config/runtime');
  const { stateTable } = await import('../handler/state/table');
  const { resume } = await import('../handler/state/limits');
  const name = args.table ?? stateTableName(args.region);
  const by = process.env.USER ?? process.env.USERNAME ?? 'cloudmend resume';
  const before = await resume(stateTable(name, args.region), args.account, args.bot, by, new Date());
  const where = `${args.bot} in account ${args.account} (${args.region})`;
  process.stdout.write(
    before.wasPaused
      ? `resumed ${where}: it was paused after ${before.failures} failures in a row (last: ${before.lastError ?? 'unknown'})\n`
      : `${where} was not paused; its failure streak (${before.failures}) is reset to 0\n`,
  );
  return 0;
}
