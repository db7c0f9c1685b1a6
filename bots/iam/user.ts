import type { BotContext } from '../types';

/**
 * An IAM user's ARN includes its path (`user/eng/alice`), which a finding that
 * names the user does not carry. User names are unique in an account whatever
 * the path, and a name cannot contain `/`, so these two templates match exactly
 * the user with that name: at the root path, or under any path. (A finding that
 * names the user by ARN renders to that ARN: see renderResource.)
 */
export const USER_RESOURCES = ['arn:{partition}:iam::{account}:user/{resourceId}', 'arn:{partition}:iam::{account}:user/*/{resourceId}'];

/** IAM user names: 1-64 of letters, digits and `+=,.@_-`. */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** A user ARN, with or without a path: the name is what follows the last `/`. */
const USER_ARN = /^arn:([^:]+):iam::(\d{12}):user\/(?:[^:]*\/)?([\w+=,.@-]{1,64})$/;

/**
 * The user the finding is about. Takes the user name, or the user's ARN (Security
 * Hub names users by ARN) when it is in the finding's account; refuses anything else
 * with a message that says what was expected.
 */
export function userNameOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>): string {
  const id = ctx.finding.resource.id;
  if (USER_NAME.test(id)) return id;
  const arn = USER_ARN.exec(id);
  const [, partition, account, name = ''] = arn ?? [];
  if (arn && partition === ctx.partition && account === ctx.account) return name;
  if (arn) throw new Error(`the finding's user ${id} is not in the finding's account ${ctx.account} (partition ${ctx.partition})`);
  throw new Error(
    `expected an IAM user name or user ARN as the finding's resource id, got "${id}": ` +
      'user names are 1-64 characters of letters, digits and +=,.@_-',
  );
}

/** The user's ARN for reports: the finding's own ARN when it names this user (it knows the path), else the root-path ARN. */
export function userArnOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>, userName: string): string {
  const prefix = `arn:${ctx.partition}:iam::${ctx.account}:user/`;
  for (const candidate of [ctx.finding.resource.id, ctx.finding.resource.arn]) {
    if (candidate?.startsWith(prefix) && candidate.endsWith(`/${userName}`)) return candidate;
  }
  return `${prefix}${userName}`;
}

/** IAM says NoSuchEntity for a missing user, policy or password policy (the SDK names the error with an Exception suffix). */
export function isNoSuchEntity(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}
