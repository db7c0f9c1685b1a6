/** Command-line options for every `cloudmend` command, parsed one way. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A command's options, strictly parsed (no unknown options, no positionals);
 * anything wrong is a UsageError carrying the command's usage text.
 */
export function parseOptions<const O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
}
