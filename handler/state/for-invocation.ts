/**
 * The remediation state for one Lambda invocation, from the environment the
 * deployer sets: none without CLOUDMEND_STATE_TABLE. The table's client is
 * kept per container (one per table name), the rest is per invocation.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { HANDLER_ENV, type RuntimeConfig } from '../../config/runtime';
import type { Logger } from '../log';
import { createRemediationState, type RemediationState } from '.';
import { publishAlert, type LimitAlert } from './alerts';
import { stateTable, type StateTable } from './table';

const tables = new Map<string, StateTable>();

export interface InvocationStateOptions {
  config: Pick<RuntimeConfig, 'limits'>;
  region: string;
  log: Logger;
  topicArn?: string | undefined;
  sns?: (() => Promise<SNSClient>) | undefined;
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis'>> | undefined;
  env?: NodeJS.ProcessEnv;
}

export function remediationStateFor(options: InvocationStateOptions): RemediationState | undefined {
  const tableName = (options.env ?? process.env)[HANDLER_ENV.stateTable];
  if (!tableName) return undefined;
  let table = tables.get(tableName);
  if (!table) {
    table = stateTable(tableName, options.region);
    tables.set(tableName, table);
  }
  const getRemaining = options.context?.getRemainingTimeInMillis;
  const { topicArn, sns } = options;
  return createRemediationState({
    tableName,
    table,
    region: options.region,
    limits: options.config.limits,
    log: options.log,
    ...(topicArn && sns ? { publishAlert: (alert: LimitAlert) => publishAlert(alert, { topicArn, sns }) } : {}),
    ...(getRemaining ? { remainingMs: () => getRemaining.call(options.context) } : {}),
  });
}
