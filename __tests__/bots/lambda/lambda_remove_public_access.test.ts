import { mockClient } from 'aws-sdk-client-mock';
import { AddPermissionCommand, GetPolicyCommand, LambdaClient, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { getBot } from '../../../bots';
import bot from '../../../bots/lambda/lambda_remove_public_access';
import { executeUndo, planUndo } from '../../../handler/state/undo';
import { isPublicStatement } from '../../../bots/lambda/resource-policy';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';

const fn = { type: 'AWS::Lambda::Function', id: 'payments' };
const ARN = 'arn:aws:lambda:us-east-1:222222222222:function:payments';
const undoCtx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };

const invoke = { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: ARN };
const anyone = { ...invoke, Sid: 'anyone', Principal: '*' };
const publicUrl = {
  ...invoke,
  Sid: 'FunctionURLAllowPublicAccess',
  Action: 'lambda:InvokeFunctionUrl',
  Principal: '*',
  Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
};
const s3NoAccount = {
  ...invoke,
  Sid: 's3-trigger',
  Principal: { Service: 's3.amazonaws.com' },
  Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } },
};
const s3WithAccount = {
  ...s3NoAccount,
  Sid: 's3-own',
  Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' }, StringEquals: { 'AWS:SourceAccount': '222222222222' } },
};
const apiGateway = {
  ...invoke,
  Sid: 'apigw',
  Principal: { Service: 'apigateway.amazonaws.com' },
  Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:222222222222:abc/*' } },
};
const orgOnly = { ...invoke, Sid: 'org', Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } };
const account = { ...invoke, Sid: 'partner', Principal: { AWS: 'arn:aws:iam::333333333333:root' } };

const policy = (...Statement: object[]) => ({
  Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement }),
  RevisionId: 'r1',
});

describe('lambda_remove_public_access', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());
  afterAll(() => lambda.restore());

  it('removes each public statement by its id and keeps the rest, recording the public statements before and after each removal', async () => {
    lambda.on(GetPolicyCommand).resolves(policy(account, anyone, apiGateway, publicUrl, s3NoAccount, s3WithAccount, orgOnly));
    lambda.on(RemovePermissionCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: fn }));

    expect(lambda.commandCalls(GetPolicyCommand)[0]!.args[0].input).toEqual({ FunctionName: 'payments' });
    expect(lambda.commandCalls(RemovePermissionCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: 'payments', StatementId: 'anyone' },
      { FunctionName: 'payments', StatementId: 'FunctionURLAllowPublicAccess' },
      { FunctionName: 'payments', StatementId: 's3-trigger' },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(
      'removed 3 public statement(s) (anyone, FunctionURLAllowPublicAccess, s3-trigger) from the resource policy of payments; 4 statement(s) kept',
    );
    expect(result.changes.map((c) => c.undo)).toEqual([
      { kind: 'public-statements', before: [anyone, publicUrl, s3NoAccount], after: [publicUrl, s3NoAccount] },
      { kind: 'public-statements', before: [publicUrl, s3NoAccount], after: [s3NoAccount] },
      { kind: 'public-statements', before: [s3NoAccount], after: [] },
    ]);
    expect(result.changes[0]).toMatchObject({ action: 'lambda:RemovePermission', target: ARN, applied: true });
  });

  it('judges statements as Security Hub does: a caller-limiting condition or a named principal keeps them', () => {
    expect([anyone, publicUrl, s3NoAccount].every(isPublicStatement)).toBe(true);
    expect([s3WithAccount, apiGateway, orgOnly, account].some(isPublicStatement)).toBe(false);
    expect(isPublicStatement({ ...anyone, Principal: { AWS: ['*'] } })).toBe(true);
    expect(isPublicStatement({ ...anyone, Effect: 'Deny' })).toBe(false);
    // A Null or IfExists test lets a caller without the key through.
    expect(isPublicStatement({ ...anyone, Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '222222222222' } } })).toBe(true);
    expect(isPublicStatement({ ...anyone, Condition: { ArnLike: { 'aws:sourcearn': 'arn:aws:sns:us-east-1:222222222222:t' } } })).toBe(
      false,
    );
  });

  it('reports already-compliant for a function without a policy or without public statements', async () => {
    lambda.on(GetPolicyCommand).rejectsOnce(awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404));
    expect((await bot.run(botContext(bot, { resource: fn }))).status).toBe('already-compliant');
    lambda.on(GetPolicyCommand).resolves(policy(account, s3WithAccount, apiGateway));
    const result = await bot.run(botContext(bot, { resource: fn }));
    expect(result.status).toBe('already-compliant');
    expect(lambda.commandCalls(RemovePermissionCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the removals, and makes none', async () => {
    lambda.on(GetPolicyCommand).resolves(policy(anyone, account));
    const result = await bot.run(botContext(bot, { resource: fn, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'lambda:RemovePermission', applied: false })]);
    expect(lambda.commandCalls(RemovePermissionCommand)).toHaveLength(0);
  });

  it('skips, removing nothing, when a public statement has no id; fails on other errors', async () => {
    const { Sid: _sid, ...noSid } = anyone;
    lambda.on(GetPolicyCommand).resolves(policy(noSid, publicUrl));
    const result = await bot.run(botContext(bot, { resource: fn }));
    expect(result.status).toBe('skipped');
    expect(lambda.commandCalls(RemovePermissionCommand)).toHaveLength(0);

    lambda.on(GetPolicyCommand).rejects(awsError('AccessDeniedException', 'not authorized', 403));
    await expect(bot.run(botContext(bot, { resource: fn }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('removes a statement AddPermission cannot express as an irreversible change, its text kept, and leaves it out of the undo state', async () => {
    const odd = { ...anyone, Sid: 'odd', Action: ['lambda:InvokeFunction', 'lambda:GetFunction'] };
    lambda.on(GetPolicyCommand).resolves(policy(anyone, odd, s3NoAccount));
    lambda.on(RemovePermissionCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: fn }));
    expect(result.changes.map((c) => c.undo)).toEqual([
      { kind: 'public-statements', before: [anyone, s3NoAccount], after: [s3NoAccount] },
      { kind: 'unrestorable-public-statement', before: odd, after: null },
      { kind: 'public-statements', before: [s3NoAccount], after: [] },
    ]);
    expect(result.changes[1]!.description).toBe(
      `removed statement ${JSON.stringify(odd)} from the resource policy (AddPermission cannot write it back: not undoable)`,
    );
    expect(bot.meta.undo?.['unrestorable-public-statement']).toMatchObject({ reversible: false });

    // Undo of that result (moto's AddPermission cannot seed such a statement): both others restored, the odd one refused.
    let current: object[] = [];
    lambda.on(GetPolicyCommand).callsFake(() => policy(...current));
    lambda.on(AddPermissionCommand).callsFake((input: { StatementId: string }) => {
      current = [...current, [anyone, s3NoAccount].find((st) => st.Sid === input.StatementId)!];
      return {};
    });
    const entry = { resultId: 'r', findingId: 'f', bot: bot.meta.name, partition: 'aws', account: '222222222222' };
    const steps = planUndo([{ ...entry, region: 'us-east-1', resourceId: 'payments', at: '', changes: result.changes }], getBot);
    const outcomes = await executeUndo(steps, async () => mockedClients);
    expect(outcomes.map((o) => [o.step.change.undo?.kind, o.status])).toEqual([
      ['public-statements', 'restored'],
      ['unrestorable-public-statement', 'refused'],
      ['public-statements', 'restored'],
    ]);
    expect(lambda.commandCalls(AddPermissionCommand).map((c) => c.args[0].input.StatementId)).toEqual(['s3-trigger', 'anyone']);
  });

  it('undo adds back the recorded statements that are missing, with their conditions', async () => {
    const undoer = bot.undoers!['public-statements']!;
    lambda.on(GetPolicyCommand).resolves(policy(account, s3NoAccount));
    lambda.on(AddPermissionCommand).resolves({});
    expect(await undoer.read(undoCtx)).toEqual([s3NoAccount]);
    await undoer.write(undoCtx, [publicUrl, s3NoAccount]);
    expect(lambda.commandCalls(AddPermissionCommand).map((c) => c.args[0].input)).toEqual([
      {
        FunctionName: 'payments',
        StatementId: 'FunctionURLAllowPublicAccess',
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      },
    ]);
  });
});
