import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import bot from '../../../bots/lambda/lambda_disable';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';

const fn = { type: 'AWS::Lambda::Function', id: 'payments' };
const ARN = 'arn:aws:lambda:us-east-1:222222222222:function:payments';
const undoCtx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };

describe('lambda_disable', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());
  afterAll(() => lambda.restore());

  it('sets the reserved concurrency of an unreserved function to 0 and records none as the state to restore', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({});
    lambda.on(PutFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 0 });

    const result = await bot.run(botContext(bot, { resource: fn }));

    expect(lambda.commandCalls(GetFunctionConcurrencyCommand)[0]!.args[0].input).toEqual({ FunctionName: 'payments' });
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'payments',
      ReservedConcurrentExecutions: 0,
    });
    expect(result.status).toBe('remediated');
    expect(result.message).toContain('was unreserved');
    expect(result.changes).toEqual([
      expect.objectContaining({
        action: 'lambda:PutFunctionConcurrency',
        target: ARN,
        applied: true,
        undo: { kind: 'reserved-concurrency', before: { ReservedConcurrentExecutions: null }, after: { ReservedConcurrentExecutions: 0 } },
      }),
    ]);
  });

  it('accepts the function ARN as the resource id and records a previous reservation', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 25 });
    lambda.on(PutFunctionConcurrencyCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::Lambda::Function', id: ARN } }));
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)[0]!.args[0].input.FunctionName).toBe('payments');
    expect(result.changes[0]!.undo?.before).toEqual({ ReservedConcurrentExecutions: 25 });
    expect(result.changes[0]!.description).toBe('reserved concurrency 25 -> 0: every invocation is throttled');
  });

  it('reports already-compliant and writes nothing when the reserved concurrency is 0', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 0 });
    const result = await bot.run(botContext(bot, { resource: fn }));
    expect(result.status).toBe('already-compliant');
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 5 });
    const result = await bot.run(botContext(bot, { resource: fn, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]).toMatchObject({ action: 'lambda:PutFunctionConcurrency', applied: false });
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
  });

  it('refuses a function ARN of another account, and fails with the error Lambda gives for a missing function', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { type: 'AWS::Lambda::Function', id: 'arn:aws:lambda:us-east-1:999999999999:function:x' } })),
    ).rejects.toThrow(/in the finding's account/);
    lambda.on(GetFunctionConcurrencyCommand).rejects(awsError('ResourceNotFoundException', 'Function not found', 404));
    await expect(bot.run(botContext(bot, { resource: fn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
  });

  it('undo puts a previous reservation back, or removes the reservation when there was none', async () => {
    const undoer = bot.undoers!['reserved-concurrency']!;
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 0 });
    expect(await undoer.read(undoCtx)).toEqual({ ReservedConcurrentExecutions: 0 });
    await undoer.write(undoCtx, { ReservedConcurrentExecutions: 25 });
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'payments',
      ReservedConcurrentExecutions: 25,
    });
    await undoer.write(undoCtx, { ReservedConcurrentExecutions: null });
    expect(lambda.commandCalls(DeleteFunctionConcurrencyCommand)[0]!.args[0].input).toEqual({ FunctionName: 'payments' });
  });
});
