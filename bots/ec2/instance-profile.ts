/**
 * What the instance-role bots share: the instance's current instance profile
 * association, the profile param (name or ARN, `$ACCOUNT_ID` allowed) and the
 * profile's role, read through a session naming the profile.
 */
import type { EC2Client, IamInstanceProfileAssociation } from '@aws-sdk/client-ec2';
import type { IAMClient, Role } from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { Permission } from '../types';
import { sdk } from '../sdk';

/** Instance profile names: 1-128 of letters, digits and `+=,.@_-`. */
const PROFILE_NAME = /^[\w+=,.@-]{1,128}$/;
const PROFILE_ARN = /^arn:([\w-]+):iam::(\d{12}|\$ACCOUNT_ID):instance-profile\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,128})$/;

export const INSTANCE_PROFILE_PARAM = z
  .string()
  .refine(
    (value) => PROFILE_NAME.test(value) || PROFILE_ARN.test(value),
    'an instance profile name, or its ARN (arn:aws:iam::$ACCOUNT_ID:instance-profile/name)',
  );

/** Profile ARNs carry their path; names are unique in an account whatever the path. */
export const PROFILE_RESOURCES = [
  'arn:{partition}:iam::{account}:instance-profile/{instanceProfileName}',
  'arn:{partition}:iam::{account}:instance-profile/*/{instanceProfileName}',
];
export const DERIVED_ROLE_RESOURCES = [
  'arn:{partition}:iam::{account}:role/{roleName}',
  'arn:{partition}:iam::{account}:role/*/{roleName}',
];

/** The profile's name, once `$ACCOUNT_ID` is the finding's account; an ARN must be in the finding's account and partition. */
export function profileNameOf(param: string, scope: { partition: string; account: string }): string {
  if (PROFILE_NAME.test(param)) return param;
  const arn = PROFILE_ARN.exec(param.replace('$ACCOUNT_ID', scope.account));
  if (!arn) throw new Error(`instance_profile ${param} is neither an instance profile name nor its ARN`);
  const [, partition, account, name] = arn as unknown as [string, string, string, string];
  if (partition !== scope.partition || account !== scope.account) {
    throw new Error(
      `instance_profile ${param} is in account ${account} (${partition}), not the finding's account ${scope.account}: refused`,
    );
  }
  return name;
}

/** The name at the end of a profile ARN. */
export function profileNameOfArn(arn: string | undefined): string | undefined {
  return arn?.slice(arn.lastIndexOf('/') + 1);
}

/** The instance's current association (associating or associated), if any. */
export async function associationOf(ec2: EC2Client, instanceId: string): Promise<IamInstanceProfileAssociation | undefined> {
  const { paginateDescribeIamInstanceProfileAssociations } = await sdk.ec2();
  for await (const page of paginateDescribeIamInstanceProfileAssociations(
    { client: ec2 },
    { Filters: [{ Name: 'instance-id', Values: [instanceId] }] },
  )) {
    const live = page.IamInstanceProfileAssociations?.find(
      (a) => a.InstanceId === instanceId && (a.State === 'associated' || a.State === 'associating'),
    );
    if (live) return live;
  }
  return undefined;
}

/** The one role of the profile (EC2 profiles hold at most one). */
export async function roleOfProfile(iam: IAMClient, profileName: string): Promise<Role | undefined> {
  const { GetInstanceProfileCommand } = await sdk.iam();
  const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName }));
  return InstanceProfile?.Roles?.[0];
}

export const DESCRIBE_ASSOCIATIONS: Permission = {
  actions: ['ec2:DescribeIamInstanceProfileAssociations'],
  resources: ['*'],
  reason: 'read the instance’s instance profile association (no resource-level permissions)',
};
