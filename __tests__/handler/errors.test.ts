import { AssumeRoleDeniedError, classifyError } from '../../handler/errors';
import { awsError } from '../support/aws-error';

function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(awsError(name, `${name} happened`, status), extra);
}

describe('classifyError', () => {
  it.each([
    ['ThrottlingException', 400],
    ['Throttling', 400],
    ['RequestLimitExceeded', 503],
    ['SlowDown', 503],
    ['TooManyRequestsException', 429],
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['SomethingNew', 502],
  ])('%s (HTTP %i) is retryable', (name, status) => {
    expect(classifyError(sdkError(name, status))).toEqual({ name, message: `${name} happened`, retryable: true });
  });

  it.each([
    ['ConcurrentModificationException', 409],
    ['ConflictException', 409],
    ['OperationAborted', 409],
    ['IncorrectState', 400],
  ])('a conflict (%s, HTTP %i) is retryable, never permanent: the next attempt finds the other writer done', (name, status) => {
    expect(classifyError(sdkError(name, status)).retryable).toBe(true);
  });

  it('names a bare socket error by its code', () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))).toEqual({
      name: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
      retryable: true,
    });
  });

  it('honours the SDK $retryable marker', () => {
    expect(classifyError(sdkError('Whatever', 400, { $retryable: { throttling: true } })).retryable).toBe(true);
  });

  it.each([
    ['TimeoutError', { name: 'TimeoutError' }],
    ['a socket reset', { name: 'Error', code: 'ECONNRESET' }],
    ['a refused connection wrapped as a cause', { name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } }],
  ])('%s is retryable', (_, error) => {
    expect(classifyError({ message: 'x', ...error }).retryable).toBe(true);
  });

  it.each([
    ['AccessDenied', 403],
    ['AccessDeniedException', 400],
    ['UnauthorizedOperation', 403],
    ['ValidationException', 400],
    ['InvalidParameterValue', 400],
    ['NoSuchBucket', 404],
    ['InvalidInstanceID.NotFound', 400],
    ['NoSuchEntity', 404],
  ])('%s (HTTP %i) is permanent', (name, status) => {
    expect(classifyError(sdkError(name, status)).retryable).toBe(false);
  });

  it('treats a bot bug and a failed AssumeRole as permanent, keeping their names', () => {
    expect(classifyError(new TypeError('cannot read x'))).toEqual({ name: 'TypeError', message: 'cannot read x', retryable: false });
    const denied = classifyError(
      new AssumeRoleDeniedError('arn:aws:iam::222222222222:role/CloudmendRemediation', new Error('AccessDenied')),
    );
    expect(denied).toMatchObject({ name: 'AssumeRoleDeniedError', retryable: false });
  });

  it('survives things that are not errors', () => {
    expect(classifyError('boom')).toEqual({ name: 'Error', message: 'boom', retryable: false });
    expect(classifyError(undefined)).toEqual({ name: 'Error', message: 'undefined', retryable: false });
  });
});
