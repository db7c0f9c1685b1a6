/**
 * The CLI's errors, and how any error is shown to the person who ran a command:
 * whether a failure is their mistake follows from its type (UserFacingError),
 * not from a list of classes kept by hand.
 */
import { UserFacingError } from '../bots/errors';

/** Wrong or missing command-line arguments: printed with the command's usage, exit code 2. */
export class UsageError extends UserFacingError {
  override readonly name: string = 'UsageError';
  constructor(
    message: string,
    /** The command's usage text, printed after the message. */
    readonly usage: string,
  ) {
    super(message);
  }
}

/** A file named on the command line cannot be read or is not what the command expects. */
export class InputFileError extends UserFacingError {
  override readonly name: string = 'InputFileError';
}

/** An AWS service's answer (AccessDenied, throttling, ...) carries `$metadata`: it is about the caller's account, not a bug of ours. */
function isAwsServiceError(error: Error): boolean {
  const metadata = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null;
}

/**
 * What the CLI prints for a failure: a user's mistake as its message alone, an
 * AWS refusal as one `name: message` line, anything else (a bug) with its stack.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  if (!(error instanceof Error)) return String(error);
  if (isAwsServiceError(error)) return `${error.name}: ${error.message}`;
  return error.stack ?? `${error.name}: ${error.message}`;
}
