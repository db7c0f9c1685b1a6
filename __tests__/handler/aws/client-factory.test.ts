import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { createClientFactory, usesCustomEndpoint } from '../../../handler/aws/client-factory';

const credentials = () => ({ accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00Z') });

describe('createClientFactory', () => {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  afterEach(() => {
    if (endpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = endpoint;
  });

  it('reuses one client per credentials, service and region, across factories and runs', () => {
    const member = credentials();
    const first = createClientFactory({ region: 'us-east-1', credentials: member })(S3Client);
    const again = createClientFactory({ region: 'us-east-1', credentials: member })(S3Client);
    expect(again).toBe(first);
  });

  it('builds a new client for other credentials, another service or another region', () => {
    const member = credentials();
    const client = createClientFactory({ region: 'us-east-1', credentials: member });
    const s3 = client(S3Client);
    expect(createClientFactory({ region: 'us-east-1', credentials: credentials() })(S3Client)).not.toBe(s3);
    expect(client(STSClient)).not.toBe(s3);
    expect(client(S3Client, { region: 'eu-west-1' })).not.toBe(s3);
    expect(createClientFactory({ region: 'eu-west-1', credentials: member })(S3Client)).toBe(client(S3Client, { region: 'eu-west-1' }));
  });

  it('keeps a client with its own attempt count apart, for writes that must not be resent', async () => {
    const client = createClientFactory({ region: 'us-east-1', credentials: credentials() });
    const once = client(S3Client, { maxAttempts: 1 });
    expect(once).not.toBe(client(S3Client));
    expect(client(S3Client, { maxAttempts: 1 })).toBe(once);
    expect(await once.config.maxAttempts()).toBe(1);
  });

  it('builds a new client when AWS_ENDPOINT_URL changes, since the SDK reads it when the client is built', () => {
    const member = credentials();
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    const first = createClientFactory({ region: 'us-east-1', credentials: member })(S3Client);
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:2';
    expect(createClientFactory({ region: 'us-east-1', credentials: member })(S3Client)).not.toBe(first);
  });

  it('binds the region, credentials, standard retries and path-style addressing for an emulator', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    const member = credentials();
    const s3 = createClientFactory({ region: 'eu-west-1', credentials: member })(S3Client);
    expect(await s3.config.region()).toBe('eu-west-1');
    expect(await s3.config.credentials()).toMatchObject({ accessKeyId: 'AKIA' });
    expect(await s3.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    expect(s3.config.forcePathStyle).toBe(true);
  });

  it('resolves S3 Control behind a custom endpoint without the account host prefix, and with it on AWS', async () => {
    const resolve = (client: S3ControlClient) =>
      (client.config.endpointProvider as (params: Record<string, unknown>) => { url: URL })({
        Region: 'us-east-1',
        AccountId: '222222222222',
        RequiresAccountId: true,
        ...(process.env.AWS_ENDPOINT_URL ? { Endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      }).url.host;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:5000';
    expect(resolve(createClientFactory({ region: 'us-east-1', credentials: credentials() })(S3ControlClient))).toBe('127.0.0.1:5000');
    delete process.env.AWS_ENDPOINT_URL;
    expect(resolve(createClientFactory({ region: 'us-east-1', credentials: credentials() })(S3ControlClient))).toBe(
      '222222222222.s3-control.us-east-1.amazonaws.com',
    );
  });

  it('shares one connection pool between clients of different credentials', async () => {
    const a = createClientFactory({ region: 'us-east-1', credentials: credentials() })(S3Client);
    const b = createClientFactory({ region: 'us-east-1', credentials: credentials() })(STSClient);
    const agentOf = async (client: S3Client | STSClient) => {
      const handler = client.config.requestHandler as unknown as { configProvider: Promise<{ httpsAgent: unknown }> };
      return (await handler.configProvider).httpsAgent;
    };
    const shared = await agentOf(a);
    expect(shared).toBeInstanceOf(HttpsAgent);
    expect(await agentOf(b)).toBe(shared);
  });
});

describe('usesCustomEndpoint', () => {
  it('is true when AWS_ENDPOINT_URL or the S3-specific variable is set', () => {
    expect(usesCustomEndpoint({})).toBe(false);
    expect(usesCustomEndpoint({ AWS_ENDPOINT_URL: 'http://localhost:5000' })).toBe(true);
    expect(usesCustomEndpoint({ AWS_ENDPOINT_URL_S3: 'http://localhost:5000' })).toBe(true);
  });
});
