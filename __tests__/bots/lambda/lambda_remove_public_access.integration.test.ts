import { AddPermissionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import bot from '../../../bots/lambda/lambda_remove_public_access';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { admin, botSession, remediateForUndo, seedFunction } from './lambda-moto';

async function sids(lambda: LambdaClient, name: string): Promise<string[]> {
  const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: name }));
  return (JSON.parse(Policy!) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid).sort();
}

async function seedPolicy(lambda: LambdaClient, name: string): Promise<void> {
  const base = { FunctionName: name, Action: 'lambda:InvokeFunction' };
  await lambda.send(new AddPermissionCommand({ ...base, StatementId: 'anyone', Principal: '*' }));
  await lambda.send(
    new AddPermissionCommand({ ...base, StatementId: 's3-any-account', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::uploads' }),
  );
  await lambda.send(new AddPermissionCommand({ ...base, StatementId: 'own-account', Principal: '*', SourceAccount: '222222222222' }));
  await lambda.send(new AddPermissionCommand({ ...base, StatementId: 'partner', Principal: 'arn:aws:iam::333333333333:root' }));
}

describeMoto('lambda_remove_public_access against moto', () => {
  it('removes the public statements with its own session policy, keeps the others, then reports already-compliant', async () => {
    const session = await admin();
    await seedFunction(session, 'payments');
    const lambda = session.client(LambdaClient);
    await seedPolicy(lambda, 'payments');

    const scoped = await botSession(bot, 'payments');
    const resource = { type: 'AWS::Lambda::Function', id: 'payments' };
    const first = await bot.run(botContext(bot, { resource, client: scoped.client }));
    expect(first.status).toBe('remediated');
    expect(await sids(lambda, 'payments')).toEqual(['own-account', 'partner']);

    const second = await bot.run(botContext(bot, { resource, client: scoped.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('reports already-compliant for a function without a resource policy', async () => {
    await seedFunction(await admin(), 'private');
    const scoped = await botSession(bot, 'private');
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::Lambda::Function', id: 'private' }, client: scoped.client }));
    expect(result.status).toBe('already-compliant');
  });

  it('undo adds the removed statements back as they were', async () => {
    const session = await admin();
    await seedFunction(session, 'reports');
    const lambda = session.client(LambdaClient);
    await seedPolicy(lambda, 'reports');
    const seeded = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'reports' }))).Policy!).Statement;

    const { outcome, undoIt } = await remediateForUndo(bot, 'reports');
    expect(outcome.result?.status).toBe('remediated');
    expect(await sids(lambda, 'reports')).toEqual(['own-account', 'partner']);

    const { code, printed } = await undoIt();
    expect(printed).toContain('restored: lambda:RemovePermission');
    expect(code).toBe(0);
    const restored = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'reports' }))).Policy!).Statement;
    const bySid = (a: { Sid: string }, b: { Sid: string }) => a.Sid.localeCompare(b.Sid);
    expect(restored.sort(bySid)).toEqual(seeded.sort(bySid));
  });
});
