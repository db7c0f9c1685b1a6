/**
 * `cloudmend <command>`: the operator's entry point. Each command lives in its
 * own module and is loaded only when called, so `invoke` never loads cdktf and
 * `synth` never loads the handler.
 */
import { describeFailure, UsageError } from './errors';
import { exitWhenFlushed } from './exit';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  invoke: { summary: 'run the handler locally on an event file', load: () => import('./invoke') },
  discover: { summary: 'refresh the inventory from AWS Organizations', load: () => import('./discover') },
  policy: { summary: "print a member role's generated IAM policy for review", load: () => import('./policy') },
  redrive: { summary: "replay a handler's dead-letter queue, deleting what succeeded", load: () => import('./redrive') },
  resume: { summary: 'lift the pause of a bot that failed repeatedly in an account', load: () => import('./resume') },
  undo: { summary: 'reverse what a remediation changed, from its change record', load: () => import('./undo') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: cloudmend <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'cloudmend <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`cloudmend: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const module = await command.load();
  try {
    return await module.run(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cloudmend ${name}: ${error.message}\n\n${error.usage}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (error: unknown) => {
      process.stderr.write(`cloudmend: ${describeFailure(error)}\n`);
      exitWhenFlushed(1);
    },
  );
}
