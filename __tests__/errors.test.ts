/**
 * One error model: every error class a folder declares in its errors.ts is a
 * CloudmendError named after its class (logs, results and the retry
 * classification show the name), and whether the CLI shows a failure as one
 * line follows from the class being a UserFacingError.
 */
import { CloudmendError, UserFacingError } from '../bots/errors';
import * as cliErrors from '../cli/errors';
import * as configErrors from '../config/errors';
import * as handlerErrors from '../handler/errors';
import * as stacksErrors from '../stacks/errors';

type ErrorClass = new (...args: never[]) => Error;

const modules = { cli: cliErrors, config: configErrors, handler: handlerErrors, stacks: stacksErrors };

const errorClasses = Object.entries(modules).flatMap(([folder, exports]) =>
  Object.values(exports)
    .filter((value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof Error)
    .map((cls) => [`${folder}/${cls.name}`, cls] as const),
);

/** An instance without knowing each constructor's parameters: the name and the prototype chain are all that is checked. */
function instanceOf(cls: ErrorClass): Error {
  const args = { AssumeRoleDeniedError: ['arn:aws:iam::1:role/r', undefined], ConfigError: [[]] } as Record<string, unknown[]>;
  return new (cls as unknown as new (...a: unknown[]) => Error)(...(args[cls.name] ?? ['message', 'message', 1, 1]));
}

describe('the error model', () => {
  it('finds the error classes it checks (guards the test itself)', () => {
    expect(errorClasses.map(([id]) => id)).toEqual(
      expect.arrayContaining(['cli/UsageError', 'config/ConfigError', 'handler/AssumeRoleDeniedError', 'stacks/DeploymentError']),
    );
  });

  it.each(errorClasses)('%s is a CloudmendError whose name is its class name', (_, cls) => {
    const error = instanceOf(cls);
    expect(error).toBeInstanceOf(CloudmendError);
    expect(error.name).toBe(cls.name);
  });

  it('makes exactly the operator-input errors user-facing; handler failures and bugs are not', () => {
    const userFacing = errorClasses.filter(([, cls]) => instanceOf(cls) instanceof UserFacingError).map(([id]) => id);
    expect(userFacing.sort()).toEqual([
      'cli/InputFileError',
      'cli/UsageError',
      'config/ConfigError',
      'config/InventoryError',
      'handler/RuntimeConfigFileError',
      'stacks/BundleError',
      'stacks/DeploymentError',
      'stacks/PolicyGenerationError',
      'stacks/RuntimeConfigBuildError',
      'stacks/StackSetScopeError',
    ]);
  });

  it('keeps the two runtime-config errors apart: reading the shipped file, building it from cloudmend.yaml', () => {
    expect(handlerErrors.RuntimeConfigFileError.name).not.toBe(stacksErrors.RuntimeConfigBuildError.name);
    expect(new handlerErrors.RuntimeConfigFileError('x')).not.toBeInstanceOf(stacksErrors.RuntimeConfigBuildError);
  });

  it('keeps a cause', () => {
    const cause = new Error('AccessDenied');
    expect(new handlerErrors.AssumeRoleDeniedError('arn:aws:iam::1:role/r', cause).cause).toBe(cause);
  });
});
