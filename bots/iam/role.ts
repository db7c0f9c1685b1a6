import type { BotContext } from '../types';

/** A role's ARN includes its path; role names are unique in an account whatever the path (see USER_RESOURCES). */
export const ROLE_RESOURCES = ['arn:{partition}:iam::{account}:role/{resourceId}', 'arn:{partition}:iam::{account}:role/*/{resourceId}'];

/** IAM role names: 1-64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:[^:]*\/)?([\w+=,.@-]{1,64})$/;

/** The role the finding is about: its name, or its ARN when in the finding's account. */
export function roleNameOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>): string {
  const id = ctx.finding.resource.id;
  if (ROLE_NAME.test(id)) return id;
  const arn = ROLE_ARN.exec(id);
  if (arn && arn[1] === ctx.partition && arn[2] === ctx.account) return arn[3] as string;
  if (arn) throw new Error(`the finding's role ${id} is not in the finding's account ${ctx.account} (partition ${ctx.partition})`);
  throw new Error(
    `expected an IAM role name or role ARN as the finding's resource id, got "${id}": role names are 1-64 characters of letters, digits and +=,.@_-`,
  );
}

/** The role's ARN for reports: the finding's own when it names this role (it knows the path), else the root-path ARN. */
export function roleArnOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>, roleName: string): string {
  const prefix = `arn:${ctx.partition}:iam::${ctx.account}:role/`;
  for (const candidate of [ctx.finding.resource.id, ctx.finding.resource.arn]) {
    if (candidate?.startsWith(prefix) && candidate.endsWith(`/${roleName}`)) return candidate;
  }
  return `${prefix}${roleName}`;
}
