/**
 * Throttling is absorbed by the SDK's standard retry strategy of the
 * write-back clients, proven below aws-sdk-client-mock (which replaces `send`
 * and so skips retries): a fake HTTP handler answers as Security Hub does when
 * throttled (429 TooManyRequestsException), then as it does on success. What
 * is still throttled after the last attempt is reported, never thrown.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { feedbackClients, WRITE_BACK_MAX_ATTEMPTS } from '../../../handler/feedback/clients';
import { sendSecurityHubUpdates, type SecurityHubUpdate } from '../../../handler/feedback/security-hub';
import { REPORT_ALL } from './support';

interface FakeResponse {
  statusCode: number;
  body: unknown;
}

/** An HTTP handler that answers from a script and counts requests; the SDK's middleware (retries included) runs as usual. */
function scriptedHttp(script: (attempt: number) => FakeResponse) {
  let attempts = 0;
  const handler = {
    attempts: () => attempts,
    handle: async () => {
      const answer = script(++attempts);
      const error = answer.statusCode >= 400 ? { 'x-amzn-errortype': String((answer.body as { __type?: string }).__type) } : {};
      return {
        response: {
          statusCode: answer.statusCode,
          reason: '',
          headers: { 'content-type': 'application/json', ...error },
          body: new TextEncoder().encode(JSON.stringify(answer.body)),
        },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
  return handler;
}

const THROTTLED: FakeResponse = { statusCode: 429, body: { __type: 'TooManyRequestsException', Message: 'Rate exceeded' } };
const OK: FakeResponse = { statusCode: 200, body: { ProcessedFindings: [{ Id: 'f-1', ProductArn: 'arn:p' }], UnprocessedFindings: [] } };

const update: SecurityHubUpdate = {
  identifier: { Id: 'f-1', ProductArn: 'arn:p' },
  note: 'cloudmend: x remediated [r-1]',
  workflow: 'RESOLVED',
  results: [],
};

function client(http: ReturnType<typeof scriptedHttp>, maxAttempts: number) {
  return async () =>
    new SecurityHubClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAHANDLER', secretAccessKey: 's' },
      retryMode: 'standard',
      maxAttempts,
      requestHandler: http,
    });
}

describe('throttled write-back', () => {
  jest.setTimeout(30_000);

  it('is retried by the SDK until Security Hub accepts it', async () => {
    const http = scriptedHttp((attempt) => (attempt < 3 ? THROTTLED : OK));
    const outcomes = await sendSecurityHubUpdates([update], client(http, WRITE_BACK_MAX_ATTEMPTS));
    expect(http.attempts()).toBe(3);
    expect(outcomes.get(update)).toEqual({ to: 'securityhub', status: 'written', detail: 'note + workflow RESOLVED' });
  });

  it('still throttled after the last attempt: reported on the result, not thrown', async () => {
    const http = scriptedHttp(() => THROTTLED);
    const outcomes = await sendSecurityHubUpdates([update], client(http, 2));
    expect(http.attempts()).toBe(2);
    expect(outcomes.get(update)).toEqual({
      to: 'securityhub',
      status: 'failed',
      detail: 'BatchUpdateFindings failed: TooManyRequestsException: Rate exceeded',
    });
  });

  it('the handler’s write-back clients use the standard retry strategy with more attempts than the default 3', async () => {
    const clients = feedbackClients({ report: REPORT_ALL }, 'eu-west-1', {
      CLOUDMEND_CHAT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:chat',
    });
    for (const make of [clients.securityHub!, clients.guardDuty!, clients.sns!]) {
      const c = await make();
      expect(await c.config.region()).toBe('eu-west-1');
      expect(await c.config.maxAttempts()).toBe(WRITE_BACK_MAX_ATTEMPTS);
      expect(c.config.retryMode).toBe('standard');
    }
    expect(WRITE_BACK_MAX_ATTEMPTS).toBeGreaterThan(3);
    expect(clients.chatTopicArn).toBe('arn:aws:sns:eu-west-1:111111111111:chat');
  });

  it('only the enabled destinations get a client; chat on the results topic uses its ARN', () => {
    const off = feedbackClients(
      { report: { securityHub: 'off', guardDuty: { archive: false }, chat: { enabled: false, topic: 'own' } } },
      'us-east-1',
      {},
    );
    expect(off).toEqual({ region: 'us-east-1' });
    expect(feedbackClients({}, 'us-east-1', {})).toEqual({ region: 'us-east-1' });
    const onResults = feedbackClients({ report: { ...REPORT_ALL, chat: { enabled: true, topic: 'results' } } }, 'us-east-1', {
      CLOUDMEND_OUTPUT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:cloudmend-results-us-east-1',
    });
    expect(onResults.chatTopicArn).toBe('arn:aws:sns:us-east-1:111111111111:cloudmend-results-us-east-1');
  });
});
