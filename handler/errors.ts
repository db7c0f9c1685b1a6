/**
 * The handler's errors, and which failures may succeed later. Retryable ones
 * fail the invocation so Lambda retries it (and, after the retries, the
 * dead-letter queue keeps it); permanent ones are reported once and not
 * retried, because retrying cannot fix them.
 */
import { CloudmendError, UserFacingError } from '../bots/errors';

/** The member role refused this handler: missing role, wrong trust policy or external id. Permanent. */
export class AssumeRoleDeniedError extends CloudmendError {
  override readonly name: string = 'AssumeRoleDeniedError';
  constructor(
    readonly roleArn: string,
    cause: unknown,
  ) {
    super(
      `cannot assume ${roleArn}: access denied. Check that the role exists in the account (deploy its member-role stack), ` +
        `that its trust policy names this handler's role, and that the external id matches roles.externalId in cloudmend.yaml`,
      { cause },
    );
  }
}

/** The member account holds no member role this handler may assume: not in scope (a skip), told apart from a broken trust by member-role-probe.ts. */
export class MemberRoleAbsentError extends CloudmendError {
  override readonly name: string = 'MemberRoleAbsentError';
  constructor(
    readonly account: string,
    roleArn: string,
  ) {
    super(
      `account ${account} is not in scope: it holds no ${roleArn.split('/').pop()} role this handler may assume (not in an in-scope OU, ` +
        'outside the organization, or its StackSet instance is not deployed yet; the same trust works in the security account). ' +
        'If it should be in scope, check the StackSet instance of that account',
    );
  }
}

/** Even the security account's own member role refuses: the trust setup is broken for every account. Permanent. */
export class MemberRoleTrustBrokenError extends CloudmendError {
  override readonly name: string = 'MemberRoleTrustBrokenError';
  constructor(denied: AssumeRoleDeniedError) {
    super(
      `${denied.message}. The security account's own member role refuses too, so the trust is broken for every account: ` +
        'check roles.externalId, the member role trust policy and the handler role policy',
      { cause: denied },
    );
  }
}

/** A bot's session policy exceeds what AssumeRole accepts; STS alone would answer a terse PackedPolicyTooLarge. */
export class SessionPolicyTooLargeError extends CloudmendError {
  override readonly name: string = 'SessionPolicyTooLargeError';
  constructor(bot: string, resourceId: string, length: number, limit: number) {
    super(
      `the session policy of ${bot} for ${resourceId} is ${length} characters; AssumeRole allows ${limit}: the bot declares too many permissions`,
    );
  }
}

/** A bot resolved to something other than a result (status, message, changes): a bug in the bot. */
export class InvalidBotResultError extends CloudmendError {
  override readonly name: string = 'InvalidBotResultError';
  constructor(bot: string) {
    super(`bot ${bot} returned no valid result (status, message, changes)`);
  }
}

/** Results could not be published to the output topic: the invocation fails so it is retried. */
export class PublishError extends CloudmendError {
  override readonly name: string = 'PublishError';
}

/** Some results failed in a way a retry may fix: thrown so Lambda retries the event, and the DLQ keeps it after. */
export class RetryableFailureError extends CloudmendError {
  override readonly name: string = 'RetryableFailureError';
}

/** The runtime config shipped with the bundle (cloudmend.runtime.json) is missing, not JSON or not valid. */
export class RuntimeConfigFileError extends UserFacingError {
  override readonly name: string = 'RuntimeConfigFileError';
}

export interface ClassifiedError {
  /** The error's name (SDK error code), e.g. `ThrottlingException`, `AccessDenied`. */
  name: string;
  message: string;
  retryable: boolean;
}

const RETRYABLE_NAMES = new Set([
  // throttling
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  // service-side transients
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServiceError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'IDPCommunicationError',
  // client-side timeouts and network
  'TimeoutError',
  'NetworkingError',
  // conflicts: another writer (a concurrent run, a console user) was mid-change; the next attempt finds it settled
  'ConflictException',
  'ResourceConflictException',
  'ConcurrentModification',
  'ConcurrentModificationException',
  'OperationAborted',
  'OperationAbortedException',
  'IncorrectState',
  'ConflictingCreate',
]);

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

function isRetryable(error: SdkLikeError, depth = 0): boolean {
  if (error.$retryable) return true;
  const status = error.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (typeof error.name === 'string' && RETRYABLE_NAMES.has(error.name)) return true;
  if (typeof error.code === 'string' && (RETRYABLE_NETWORK_CODES.has(error.code) || RETRYABLE_NAMES.has(error.code))) return true;
  // Node wraps socket errors: fetch failed -> cause ECONNRESET.
  if (depth < 3 && typeof error.cause === 'object' && error.cause !== null) return isRetryable(error.cause as SdkLikeError, depth + 1);
  return false;
}

/**
 * Everything not known to be transient is permanent: validation errors,
 * AccessDenied, NotFound, and bot bugs alike would fail the same way again.
 */
export function classifyError(error: unknown): ClassifiedError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: String(error), retryable: false };
  }
  const e = error as SdkLikeError;
  // A bare socket error is named `Error`; its code (ECONNRESET) says more.
  const generic = typeof e.name !== 'string' || e.name === '' || e.name === 'Error';
  const name = generic ? (typeof e.code === 'string' && e.code !== '' ? e.code : 'Error') : (e.name as string);
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : name;
  return { name, message, retryable: isRetryable(e) };
}
