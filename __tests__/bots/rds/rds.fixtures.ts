/** Shared by the RDS bots' unit tests: a DB instance as DescribeDBInstances returns it. */
import type { DBInstance } from '@aws-sdk/client-rds';

export const ACCOUNT = '222222222222';
export const db = { type: 'AWS::RDS::DBInstance', id: 'orders' };
export const dbArn = `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders`;

export function instance(overrides: Partial<DBInstance> = {}): { DBInstances: DBInstance[] } {
  return {
    DBInstances: [
      {
        DBInstanceIdentifier: 'orders',
        DBInstanceArn: dbArn,
        DBInstanceStatus: 'available',
        Engine: 'postgres',
        ...overrides,
      },
    ],
  };
}
