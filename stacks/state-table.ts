/**
 * The remediation state table of one handler stack (docs/state.md): on
 * demand, point-in-time recovery, encrypted with a KMS key, expired by TTL on
 * `expiration`. The handler role gets exactly the item calls the runtime makes
 * (handler/state), on this table only.
 */
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct } from 'constructs';
import type { PolicyDocument } from '../bots/permissions';
import { stateTableName } from '../config/runtime';

export interface StateTableProps {
  partition: string;
  region: string;
  /** The security account, which owns the table. */
  account: string;
  /** The handler's execution role (name). */
  roleName: string;
  /** naming.prefix of the deployment. */
  prefix?: string;
}

export function stateTableArn(props: Pick<StateTableProps, 'partition' | 'region' | 'account' | 'prefix'>): string {
  return `arn:${props.partition}:dynamodb:${props.region}:${props.account}:table/${stateTableName(props.region, props.prefix)}`;
}

/**
 * Idempotency records (Powertools: conditional put, get, update, delete on
 * failure), counters and breakers (update with ADD), report markers (put).
 * No scan or query: the handler reads items by key only.
 */
export const STATE_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

export function stateTablePolicy(props: Pick<StateTableProps, 'partition' | 'region' | 'account'>): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'RemediationState', Effect: 'Allow', Action: [...STATE_TABLE_ACTIONS], Resource: [stateTableArn(props)] }],
  };
}

export class StateTable {
  readonly name: string;

  constructor(scope: Construct, props: StateTableProps) {
    this.name = stateTableName(props.region, props.prefix);
    new DynamodbTable(scope, 'state-table', {
      name: this.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'id',
      attribute: [{ name: 'id', type: 'S' }],
      ttl: { attributeName: 'expiration', enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      // The change journal is what `cloudmend undo` restores from: a stray `terraform destroy` must not take it.
      deletionProtectionEnabled: true,
    });
    new IamRolePolicy(scope, 'state-table-policy', {
      name: 'cloudmend-state-table',
      role: props.roleName,
      policy: JSON.stringify(stateTablePolicy(props)),
    });
  }
}
