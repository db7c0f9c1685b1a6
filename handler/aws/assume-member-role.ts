import type { AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { PolicyDocument } from '../../bots/permissions';
import { AssumeRoleDeniedError } from '../errors';
import { sdk } from '../../bots/sdk';

export interface MemberRoleTarget {
  partition: string;
  account: string;
  roleName: string;
  externalId: string;
  /** Narrows the role to one bot's permissions for this session. */
  sessionPolicy?: PolicyDocument;
  /** Shows up in the member account's CloudTrail: say who acted and why. */
  sessionName: string;
  durationSeconds?: number;
}

export interface MemberCredentials extends AwsCredentialIdentity {
  expiration: Date;
}

export function memberRoleArn(target: Pick<MemberRoleTarget, 'partition' | 'account' | 'roleName'>): string {
  return `arn:${target.partition}:iam::${target.account}:role/${target.roleName}`;
}

/** Role session names allow 2-64 of [\w+=,.@-]. */
export function toSessionName(text: string): string {
  const cleaned = text.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `cloudmend-${cleaned}`;
}

/** Assumes the member remediation role in the finding's account with an external id and an optional session policy. */
export async function assumeMemberRole(sts: STSClient, target: MemberRoleTarget): Promise<MemberCredentials> {
  const { AssumeRoleCommand } = await sdk.sts();
  const roleArn = memberRoleArn(target);
  let response: AssumeRoleCommandOutput;
  try {
    response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: toSessionName(target.sessionName),
        ExternalId: target.externalId,
        DurationSeconds: target.durationSeconds ?? 900,
        ...(target.sessionPolicy ? { Policy: JSON.stringify(target.sessionPolicy) } : {}),
      }),
    );
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'AccessDenied' || name === 'AccessDeniedException') throw new AssumeRoleDeniedError(roleArn, error);
    throw error;
  }
  const c = response.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error(`AssumeRole for ${roleArn} returned no credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
