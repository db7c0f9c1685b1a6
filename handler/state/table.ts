/**
 * The remediation state table: one DynamoDB table per region in the security
 * account, keyed by `id` alone, expired by TTL on `expiration` (epoch
 * seconds). It holds the idempotency records (written by Powertools), the
 * blast-radius counters and breakers, the report markers and the change
 * journal; each kind has its own key prefix (keys.ts).
 *
 * The client loads on first use, so an invocation that runs no bot never loads
 * the DynamoDB SDK. Endpoints are never set here: the SDK honours
 * AWS_ENDPOINT_URL by itself.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sdk } from '../../bots/sdk';

export const KEY_ATTRIBUTE = 'id';
export const EXPIRY_ATTRIBUTE = 'expiration';

export interface StateTable {
  name: string;
  client: () => Promise<DynamoDBClient>;
}

export function stateTable(name: string, region: string): StateTable {
  let client: Promise<DynamoDBClient> | undefined;
  return {
    name,
    client: () => (client ??= sdk.dynamoDb().then(({ DynamoDBClient }) => new DynamoDBClient({ region, retryMode: 'standard' }))),
  };
}

/** Epoch seconds, the unit DynamoDB TTL reads. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Whether `error` is DynamoDB refusing a write because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}
