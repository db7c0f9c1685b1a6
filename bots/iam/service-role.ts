/**
 * What the bots that create a role for an AWS service to assume (flow log and
 * SNS delivery, RDS monitoring) share: reading the role, and telling whether
 * its trust policy lets that service assume it.
 */
import type { IAMClient, Role } from '@aws-sdk/client-iam';
import { isNoSuchEntity } from './user';
import { sdk } from '../sdk';

/** The role as it is now, or undefined when there is none. */
export async function readRole(iam: IAMClient, roleName: string): Promise<Role | undefined> {
  const { GetRoleCommand } = await sdk.iam();
  return iam.send(new GetRoleCommand({ RoleName: roleName })).then(
    (output) => output.Role,
    (error) => {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    },
  );
}

const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Whether a trust policy (parsed) lets `service` (`sns.amazonaws.com`) assume the role. */
export function trustsService(policy: unknown, service: string): boolean {
  return asArray((policy as { Statement?: unknown } | undefined)?.Statement).some((statement) => {
    const s = statement as { Effect?: string; Action?: unknown; Principal?: { Service?: unknown } };
    return s.Effect === 'Allow' && asArray(s.Action).includes('sts:AssumeRole') && asArray(s.Principal?.Service).includes(service);
  });
}
