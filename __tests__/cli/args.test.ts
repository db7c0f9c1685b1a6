import { parseOptions } from '../../cli/args';
import { UsageError } from '../../cli/errors';

const USAGE = 'usage: cloudmend example --name <n> [--force]';
const OPTIONS = { name: { type: 'string' }, force: { type: 'boolean', default: false } } as const;

describe('parseOptions', () => {
  it('returns the typed values of known options', () => {
    expect(parseOptions(['--name', 'x', '--force'], OPTIONS, USAGE)).toEqual({ name: 'x', force: true });
    expect(parseOptions([], OPTIONS, USAGE)).toEqual({ force: false });
  });

  it.each([
    [['--nmae', 'x'], "Unknown option '--nmae'"],
    [['--name'], "Option '--name <value>' argument missing"],
    [['stray'], "Unexpected argument 'stray'"],
  ])('refuses %j with a UsageError that carries the usage', (argv, message) => {
    let thrown: unknown;
    try {
      parseOptions(argv, OPTIONS, USAGE);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toContain(message);
    expect((thrown as UsageError).usage).toBe(USAGE);
  });
});
