/**
 * The roots of cloudmend's own errors. Each folder declares its errors in its
 * own `errors.ts` (handler/, config/, stacks/, cli/), all extending these. They
 * live in bots/ because bots/ is the one folder every other may import
 * (DESIGN.md's dependency direction); bots/ itself imports nothing of ours.
 *
 * Every subclass sets `name` to its class name as a string literal rather than
 * from `new.target.name`: the handler bundle is minified, and the name is what
 * logs, results and the retry classification (handler/errors.ts) show.
 */

/** An error cloudmend raises on purpose, as opposed to one from the SDK, Node or a bug. */
export class CloudmendError extends Error {
  override readonly name: string = 'CloudmendError';
}

/**
 * A mistake of the person running cloudmend (their config, inventory, arguments,
 * files) whose message alone says what is wrong and how to fix it: the CLI
 * prints the message, not a stack trace. Anything else is a bug and prints its stack.
 */
export class UserFacingError extends CloudmendError {
  override readonly name: string = 'UserFacingError';
}

/**
 * Another writer's create is visible but not settled yet (a create said "already
 * exists", yet reads find nothing): a retry will find it done. `$retryable` is
 * how the SDK marks an error to retry, and handler/errors.ts reads it too.
 */
export class ConflictingCreate extends CloudmendError {
  override readonly name: string = 'ConflictingCreate';
  readonly $retryable = {};
}

/**
 * The resource is in the middle of another change (a CloudFormation stack
 * update in progress) and refuses a new one until it settles: a retry later
 * will find it settled. Retryable, like ConflictingCreate.
 */
export class ResourceBusy extends CloudmendError {
  override readonly name: string = 'ResourceBusy';
  readonly $retryable = {};
}
