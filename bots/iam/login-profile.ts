import type { IAMClient, LoginProfile, User } from '@aws-sdk/client-iam';
import { isNoSuchEntity } from './user';
import { sdk } from '../sdk';

/**
 * The user (GetUser fails loudly for a missing user) and their console
 * password's login profile, undefined when the user has no console password.
 * Reading the user first keeps a missing user from passing for a user without
 * a password: IAM answers NoSuchEntity for both.
 */
export async function readLoginProfile(iam: IAMClient, userName: string): Promise<{ user: User; profile: LoginProfile | undefined }> {
  const { GetUserCommand, GetLoginProfileCommand } = await sdk.iam();
  const { User: user } = await iam.send(new GetUserCommand({ UserName: userName }));
  if (!user) throw new Error(`IAM returned no user for ${userName}`);
  try {
    const { LoginProfile: profile } = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return { user, profile };
  } catch (error) {
    if (isNoSuchEntity(error)) return { user, profile: undefined };
    throw error;
  }
}

export const LOGIN_PROFILE_READS = ['iam:GetUser', 'iam:GetLoginProfile'];
