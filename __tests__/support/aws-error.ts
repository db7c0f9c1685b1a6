/**
 * What the AWS SDK throws when a service refuses a call, for tests that make a
 * mocked client fail: like the SDK's ServiceException, it is named by the
 * service's error code and carries who is at fault and the HTTP status, the
 * fields handler/errors.ts classifies by.
 */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode?: number };
  constructor(code: string, message: string, httpStatusCode?: number) {
    super(message);
    // The SDK names its exceptions by the service's error code; so does this stand-in.
    this.name = code;
    this.$fault = httpStatusCode !== undefined && httpStatusCode >= 500 ? 'server' : 'client';
    this.$metadata = httpStatusCode === undefined ? {} : { httpStatusCode };
  }
}

/** A service refusal, e.g. `awsError('AccessDenied', 'not authorized', 403)`. */
export const awsError = (code: string, message: string, httpStatusCode?: number): AwsServiceError =>
  new AwsServiceError(code, message, httpStatusCode);
