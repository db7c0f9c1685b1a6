import type { BotContext } from '../types';

/**
 * An IAM user's ARN includes its path (`user/eng/alice`), which a finding that
 * names the user does not carry. User names are unique in an account whatever
 * the path, and a name cannot contain `/`, so these two templates match exactly
 * the user with that name: at the root path, or under any path.
 */
export const USER_RESOURCES = [
  'arn:{partition}:iam::{account}:user/{resourceId}',
  'arn:{partition}:iam::{account}:user/*/{resourceId}',
];

/** IAM user names: 1-64 of letters, digits and `+=,.@_-`. */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/** The user the finding is about; refuses anything that is not a plain user name (an ARN would also break the session policy's scope). */
export function userNameOf(ctx: Pick<BotContext, 'finding'>): string {
  const id = ctx.finding.resource.id;
  if (!USER_NAME.test(id)) {
    throw new Error(
      `expected an IAM user name as the finding's resource id, got "${id}": ` +
        'user names are 1-64 characters of letters, digits and +=,.@_- (not an ARN or a path)',
    );
  }
  return id;
}

/** The user's ARN for reports: the finding's own ARN when it names this user (it knows the path), else the root-path ARN. */
export function userArnOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>, userName: string): string {
  const arn = ctx.finding.resource.arn;
  if (arn && arn.startsWith(`arn:${ctx.partition}:iam::${ctx.account}:user/`) && arn.endsWith(`/${userName}`)) return arn;
  return `arn:${ctx.partition}:iam::${ctx.account}:user/${userName}`;
}

/** IAM says NoSuchEntity for a missing user, policy or password policy (the SDK names the error with an Exception suffix). */
export function isNoSuchEntity(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}
