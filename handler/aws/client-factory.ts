import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ClientFactory } from '../../bots/types';

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
 * Builds SDK clients bound to one set of credentials and a region. Endpoints
 * are never set here: the SDK resolves them, honouring AWS_ENDPOINT_URL. Retries
 * use the SDK's standard strategy (AWS_MAX_ATTEMPTS, default 3 attempts with
 * backoff and jitter), so throttling is absorbed before an error reaches a bot.
 */
export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const forcePathStyle = usesCustomEndpoint();
  return (ClientClass, overrides) =>
    new ClientClass({
      region: overrides?.region ?? options.region,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      retryMode: 'standard',
      ...(overrides?.maxAttempts ? { maxAttempts: overrides.maxAttempts } : {}),
      ...(forcePathStyle ? { forcePathStyle } : {}),
    });
}
