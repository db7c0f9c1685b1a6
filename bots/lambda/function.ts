/** The Lambda function a finding names, and the ARN template its permissions use. */
import type { BotContext, UndoContext } from '../types';

/** The unqualified function (its $LATEST configuration and its resource policy). */
export const FUNCTION_ARN = 'arn:{partition}:lambda:{region}:{account}:function:{resourceId}';

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN_TEXT = /^arn:([^:]+):lambda:([^:]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})$/;

/** The function's name: the finding's id, or the name in its ARN when that ARN is in the finding's account. */
export function functionNameOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'account'>): string {
  const id = ctx.finding.resource.id;
  if (FUNCTION_NAME.test(id)) return id;
  const arn = FUNCTION_ARN_TEXT.exec(id);
  if (arn && arn[1] === ctx.partition && arn[3] === ctx.account) return arn[4] as string;
  throw new Error(`expected a Lambda function name or unqualified function ARN in the finding's account, got "${id}"`);
}

export function functionArnOf(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, name: string): string {
  return `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.account}:function:${name}`;
}

/** The function name in a change target (the function's ARN), for undoers. */
export function functionOfTarget(ctx: Pick<UndoContext, 'target'>): string {
  return ctx.target.slice(ctx.target.lastIndexOf(':') + 1);
}
