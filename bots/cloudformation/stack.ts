/**
 * The CloudFormation stack a finding names, by its name (a stack's ARN is
 * `stack/<name>/<unique id>`; the handler gives bots the name). Stack names
 * are unique among a Region's live stacks, so `stack/<name>/*` names the one
 * live stack of the name (deleted stacks keep their ARN but take no update).
 */
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { sdk } from '../sdk';

export const STACK_RESOURCE = 'arn:{partition}:cloudformation:{region}:{account}:stack/{resourceId}/*';

/**
 * The stack name the finding gives. A stack ARN is refused rather than parsed: the session policy is rendered from
 * the finding's id as `stack/<id>/*`, which only a name fits (the handler hands bots the name, see handler/sources/resources.ts).
 */
export function stackName(bot: string, resourceId: string): string {
  if (resourceId.startsWith('arn:') || resourceId.includes('/')) {
    throw new Error(`${bot}: "${resourceId}" is not a CloudFormation stack name (a stack ARN is turned into its name before a bot runs)`);
  }
  return resourceId;
}

/** The stack's name in a change's target (the stack ARN), for undo. */
export function stackNameOfTarget(target: string): string {
  return /:stack\/([^/]+)(?:\/[^/]+)?$/.exec(target)?.[1] ?? target;
}

export async function readStack(cloudformation: CloudFormationClient, bot: string, name: string): Promise<Stack> {
  const { DescribeStacksCommand } = await sdk.cloudFormation();
  const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
  const stack = Stacks?.[0];
  if (!stack) throw new Error(`${bot}: CloudFormation stack ${name} not found`);
  return stack;
}

/** Statuses in which CloudFormation accepts UpdateStack. */
export const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

/**
 * UpdateStack that changes nothing but what `change` sets: the previous
 * template, every parameter at its previous value (a parameter left out would
 * revert to its default), the capabilities the stack was given. Tags, the
 * service role, rollback triggers and the stack policy stay as they are when
 * left out.
 */
export function sameStackUpdate(stack: Stack, name: string) {
  return {
    StackName: name,
    UsePreviousTemplate: true,
    Parameters: (stack.Parameters ?? []).map((p) => ({ ParameterKey: p.ParameterKey, UsePreviousValue: true })),
    ...(stack.Capabilities?.length ? { Capabilities: stack.Capabilities } : {}),
  };
}
