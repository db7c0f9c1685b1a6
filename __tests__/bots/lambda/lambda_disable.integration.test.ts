import { GetFunctionConcurrencyCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import bot from '../../../bots/lambda/lambda_disable';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { admin, botSession, remediateForUndo, seedFunction } from './lambda-moto';

const reserved = async (lambda: LambdaClient, name: string) =>
  (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions;

describeMoto('lambda_disable against moto', () => {
  it('throttles the function with its own session policy, then reports already-compliant', async () => {
    const session = await admin();
    await seedFunction(session, 'payments');
    const lambda = session.client(LambdaClient);

    const scoped = await botSession(bot, 'payments');
    const resource = { type: 'AWS::Lambda::Function', id: 'payments' };
    const first = await bot.run(botContext(bot, { resource, client: scoped.client }));
    expect(first.status).toBe('remediated');
    expect(await reserved(lambda, 'payments')).toBe(0);

    const second = await bot.run(botContext(bot, { resource, client: scoped.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('undo puts the previous reserved concurrency back', async () => {
    const session = await admin();
    await seedFunction(session, 'reports');
    const lambda = session.client(LambdaClient);
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reports', ReservedConcurrentExecutions: 7 }));

    const { outcome, undoIt } = await remediateForUndo(bot, 'reports');
    expect(outcome.result?.status).toBe('remediated');
    expect(await reserved(lambda, 'reports')).toBe(0);

    const { code, printed } = await undoIt();
    expect(printed).toContain('restored: lambda:PutFunctionConcurrency');
    expect(code).toBe(0);
    expect(await reserved(lambda, 'reports')).toBe(7);
  });

  it('undo removes the reservation of a function that had none', async () => {
    const session = await admin();
    await seedFunction(session, 'unreserved');
    const lambda = session.client(LambdaClient);

    const { undoIt } = await remediateForUndo(bot, 'unreserved');
    expect(await reserved(lambda, 'unreserved')).toBe(0);
    expect((await undoIt()).code).toBe(0);
    expect(await reserved(lambda, 'unreserved')).toBeUndefined();
  });
});
