import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ClientFactory, ClientOverrides, SdkClientConfig } from '../../bots/types';

export interface ClientFactoryOptions {
  region: string;
  /** Absent: the default provider chain (the Lambda's own role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/**
 * True when the SDK is pointed at an emulator or proxy via AWS_ENDPOINT_URL
 * (which SDK v3 reads by itself). Such endpoints rarely resolve bucket
 * subdomains, so S3 then uses path-style addressing.
 */
export function usesCustomEndpoint(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/**
 * One connection pool for every client in the container. Each SDK client would
 * otherwise make its own agent, so a client built for a new set of credentials
 * (every bot run assumes the member role anew) would open a new TLS connection
 * to an endpoint the container is already connected to. Requests are signed
 * per request, so sharing sockets across credentials is safe. The SDK's own
 * defaults: keep-alive, 50 sockets per host.
 */
const connections = {
  httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
  httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
};

type ClientClass = new (config: SdkClientConfig) => unknown;

type EndpointProvider = (params: Record<string, unknown>, context?: unknown) => unknown;

/**
 * S3 Control puts the account id in front of the endpoint's host
 * (`222222222222.s3-control...`), even a custom one, which an emulator at
 * `127.0.0.1` or `localhost` cannot serve. Behind a custom endpoint only, the
 * endpoint is resolved without that prefix; the account still travels in the
 * `x-amz-account-id` header. Clients without the parameter are unaffected.
 */
function withoutAccountHostPrefix(client: unknown): void {
  const config = (client as { config?: { endpointProvider?: EndpointProvider } }).config;
  const resolve = config?.endpointProvider;
  if (!config || !resolve) return;
  config.endpointProvider = (params, context) =>
    resolve(params.Endpoint && params.RequiresAccountId ? { ...params, RequiresAccountId: false } : params, context);
}

/**
 * Clients by credentials, then service and region: a warm container reuses the
 * client a bot got last time for the same credentials (the credentials cache
 * hands back the same object until it refreshes them). Keyed weakly, so clients
 * go when their credentials do; their sockets stay in the shared pool.
 */
const clientsByCredentials = new WeakMap<object, Map<ClientClass, Map<string, unknown>>>();
/** The handler's own credentials (no explicit ones): the default provider chain. */
const defaultCredentialClients = new Map<ClientClass, Map<string, unknown>>();

function clientsFor(credentials: ClientFactoryOptions['credentials']): Map<ClientClass, Map<string, unknown>> {
  if (!credentials) return defaultCredentialClients;
  let clients = clientsByCredentials.get(credentials);
  if (!clients) {
    clients = new Map();
    clientsByCredentials.set(credentials, clients);
  }
  return clients;
}

/**
 * Builds SDK clients bound to one set of credentials and a region. Endpoints
 * are never set here: the SDK resolves them, honouring AWS_ENDPOINT_URL. Retries
 * use the SDK's standard strategy (AWS_MAX_ATTEMPTS, default 3 attempts with
 * backoff and jitter), so throttling is absorbed before an error reaches a bot.
 */
export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  // Read once per factory (one a bot run), not per client it hands out: each process.env read is a call into the runtime.
  const endpoint = process.env.AWS_ENDPOINT_URL ?? '';
  const forcePathStyle = Boolean(endpoint) || usesCustomEndpoint();
  const clients = clientsFor(options.credentials);
  return <C>(ClientClass: new (config: SdkClientConfig) => C, overrides?: ClientOverrides): C => {
    const region = overrides?.region ?? options.region;
    let byRegion = clients.get(ClientClass);
    if (!byRegion) {
      byRegion = new Map();
      clients.set(ClientClass, byRegion);
    }
    // The SDK reads AWS_ENDPOINT_URL when it builds a client: a client made for one endpoint serves only that one.
    const key = `${region}|${overrides?.maxAttempts ?? ''}|${endpoint}|${forcePathStyle}`;
    const existing = byRegion.get(key);
    if (existing) return existing as C;
    const client = new ClientClass({
      region,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      retryMode: 'standard',
      ...(overrides?.maxAttempts ? { maxAttempts: overrides.maxAttempts } : {}),
      ...(forcePathStyle ? { forcePathStyle } : {}),
      requestHandler: connections,
      // Resolve each command's middleware once per client, not on every send (nothing here changes it afterwards).
      cacheMiddleware: true,
    });
    if (forcePathStyle) withoutAccountHostPrefix(client);
    byRegion.set(key, client);
    return client;
  };
}
