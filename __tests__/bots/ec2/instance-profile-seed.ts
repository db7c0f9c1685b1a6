/** An IAM role in an instance profile, in the moto member account, for the instance-role bots' integration tests. */
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { memberSession } from '../../support/moto';
import { MEMBER, REGION } from './moto-seed';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export async function adminIam(): Promise<IAMClient> {
  return (await memberSession(MEMBER, REGION)).client(IAMClient);
}

/** A profile holding a role of the same name; returns the profile's ARN. */
export async function seedProfile(iam: IAMClient, name: string, tags: Record<string, string> = {}): Promise<string> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: TRUST,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return profile.InstanceProfile!.Arn!;
}
