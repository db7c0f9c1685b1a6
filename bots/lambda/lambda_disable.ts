import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { FUNCTION_ARN, functionArnOf, functionNameOf, functionOfTarget } from './function';
import { sdk } from '../sdk';

/** The reserved concurrency as recorded for undo: a number, or null when the function had none (it shares the account's pool). */
interface ReservedConcurrency {
  ReservedConcurrentExecutions: number | null;
}

async function readReserved(ctx: Pick<UndoContext, 'client'>, name: string): Promise<ReservedConcurrency> {
  const { LambdaClient, GetFunctionConcurrencyCommand } = await sdk.lambda();
  const output = await ctx.client(LambdaClient).send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
  return { ReservedConcurrentExecutions: output.ReservedConcurrentExecutions ?? null };
}

export default defineBot({
  meta: {
    name: 'lambda_disable',
    summary: 'Stop the function from running: set its reserved concurrency to 0',
    description:
      'Sets the reserved concurrency of the function to 0, so every invocation is throttled (synchronous callers get a ' +
      'TooManyRequestsException, asynchronous events are retried and then go to the function’s failure destination or ' +
      'dead-letter queue). The function’s code, configuration, triggers, versions and aliases are left as they are; ' +
      'provisioned concurrency configurations are not deleted. The reserved concurrency it had before (or none) is reported ' +
      'and recorded, and `cloudmend undo` puts it back.',
    resourceTypes: ['AWS::Lambda::Function'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency'],
        resources: [FUNCTION_ARN],
        reason: 'read the reserved concurrency of the function and set it to 0',
      },
    ],
    undo: {
      'reserved-concurrency': {
        reversible: true,
        how: 'sets the reserved concurrency back to what it was, or removes it when the function had none',
        permissions: [
          {
            actions: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'],
            resources: [FUNCTION_ARN],
            reason: 'undo: read the reserved concurrency and restore it (or remove it)',
          },
        ],
      },
    },
  },
  undoers: {
    'reserved-concurrency': {
      read: (ctx) => readReserved(ctx, functionOfTarget(ctx)),
      async write(ctx, state) {
        const { LambdaClient, PutFunctionConcurrencyCommand, DeleteFunctionConcurrencyCommand } = await sdk.lambda();
        const lambda = ctx.client(LambdaClient);
        const FunctionName = functionOfTarget(ctx);
        const reserved = (state as ReservedConcurrency).ReservedConcurrentExecutions;
        if (reserved === null) await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName }));
        else await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: reserved }));
      },
    },
  },
  async run(ctx) {
    const { LambdaClient, PutFunctionConcurrencyCommand } = await sdk.lambda();
    const lambda = ctx.client(LambdaClient);
    const name = functionNameOf(ctx);
    const before = await readReserved(ctx, name);
    const changes = new ChangeSet(ctx);
    if (before.ReservedConcurrentExecutions !== 0) {
      await changes.apply(
        {
          action: 'lambda:PutFunctionConcurrency',
          target: functionArnOf(ctx, name),
          description: `reserved concurrency ${before.ReservedConcurrentExecutions ?? 'none (unreserved)'} -> 0: every invocation is throttled`,
          undo: { kind: 'reserved-concurrency', before, after: { ReservedConcurrentExecutions: 0 } },
        },
        () => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 })),
      );
    }
    return changes.result(
      `disabled Lambda function ${name}: reserved concurrency 0 (was ${before.ReservedConcurrentExecutions ?? 'unreserved'})`,
      `Lambda function ${name} is already disabled (reserved concurrency 0)`,
    );
  },
});
