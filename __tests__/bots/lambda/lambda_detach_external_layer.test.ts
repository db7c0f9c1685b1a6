import { mockClient } from 'aws-sdk-client-mock';
import {
  GetFunctionConfigurationCommand,
  GetLayerVersionCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import bot from '../../../bots/lambda/lambda_detach_external_layer';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { DerivedIds } from '../../../bots/types';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';
import { undoSteps } from '../../support/undo-through-session';
import { MAX_SESSION_POLICY_CHARS } from '../../../handler/credentials';

const fn = { type: 'AWS::Lambda::Function', id: 'payments' };
const ARN = 'arn:aws:lambda:us-east-1:222222222222:function:payments';
const OWN = 'arn:aws:lambda:us-east-1:222222222222:layer:shared-libs:3';
const OWN2 = 'arn:aws:lambda:us-east-1:222222222222:layer:certs:1';
const EXTERNAL = 'arn:aws:lambda:us-east-1:999999999999:layer:miner:7';
const INSIGHTS = 'arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:14';
const scope = { account: '222222222222', region: 'us-east-1', resourceId: 'payments' };
/** The layers an undo session may read: each (account, name) pair, any version. */
const layerArns = (pairs: Array<[account: string, name: string]>) =>
  pairs.map(([account, name]) => `arn:aws:lambda:us-east-1:${account}:layer:${name}:*`).sort();
const undoCtx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };

const config = (...arns: string[]) => ({
  FunctionName: 'payments',
  RevisionId: 'rev-1',
  Layers: arns.map((Arn) => ({ Arn, CodeSize: 10 })),
});

describe('lambda_detach_external_layer', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());
  afterAll(() => lambda.restore());

  it('keeps the own account’s layers in order, reading them through a session naming them, and removes the others', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(config(OWN, EXTERNAL, OWN2, INSIGHTS));
    lambda.on(GetLayerVersionCommand).resolves({});
    lambda.on(UpdateFunctionConfigurationCommand).resolves({});
    const narrowed: DerivedIds[] = [];

    const result = await bot.run(botContext(bot, { resource: fn, onNarrow: (ids) => narrowed.push(ids) }));

    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]!.args[0].input).toEqual({ FunctionName: 'payments' });
    expect(narrowed).toEqual([{ layerName: ['shared-libs', 'certs'] }]);
    expect(lambda.commandCalls(GetLayerVersionCommand).map((c) => c.args[0].input)).toEqual([
      { LayerName: 'arn:aws:lambda:us-east-1:222222222222:layer:shared-libs', VersionNumber: 3 },
      { LayerName: 'arn:aws:lambda:us-east-1:222222222222:layer:certs', VersionNumber: 1 },
    ]);
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'payments',
      Layers: [OWN, OWN2],
      RevisionId: 'rev-1',
    });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`removed 2 layer(s) of other accounts from Lambda function payments: ${EXTERNAL}, ${INSIGHTS}`);
    expect(result.changes).toEqual([
      expect.objectContaining({
        action: 'lambda:UpdateFunctionConfiguration',
        target: ARN,
        applied: true,
        undo: {
          kind: 'layers',
          before: { Layers: [OWN, EXTERNAL, OWN2, INSIGHTS] },
          after: { Layers: [OWN, OWN2] },
          // (account, name) pairs, the i-th account with the i-th name.
          ids: {
            layerAccount: ['222222222222', '999999999999', '222222222222', '580247275435'],
            layerName: ['shared-libs', 'miner', 'certs', 'LambdaInsightsExtension'],
          },
        },
      }),
    ]);

    // Undo sets the list back through a session that may read the layers of the list, each its (account, name), no other.
    const [step] = undoSteps(bot.meta.name, result.changes, scope);
    expect(step!.refusal).toBeUndefined();
    expect(step!.sessionPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'], Resource: [ARN] },
        {
          Effect: 'Allow',
          Action: ['lambda:GetLayerVersion'],
          Resource: layerArns([
            ['222222222222', 'shared-libs'],
            ['999999999999', 'miner'],
            ['222222222222', 'certs'],
            ['580247275435', 'LambdaInsightsExtension'],
          ]),
        },
      ],
    });
  });

  it('refuses to undo a change recorded without the layers’ accounts and names (before undo sessions named them)', () => {
    const change = {
      action: 'lambda:UpdateFunctionConfiguration',
      target: ARN,
      description: 'd',
      applied: true,
      undo: { kind: 'layers', before: { Layers: [EXTERNAL] }, after: { Layers: [] } },
    };
    const [step] = undoSteps(bot.meta.name, [change], scope);
    expect(step!.refusal).toBe(
      'the change record names no layerAccount or layerName for its undo session (recorded before lambda_detach_external_layer ' +
        `recorded them), and undo is never granted more than the record names; restore by hand to {"Layers":["${EXTERNAL}"]}`,
    );
  });

  it('clears the layer list when every layer is another account’s, without narrowing', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(config(EXTERNAL));
    lambda.on(UpdateFunctionConfigurationCommand).resolves({});
    const narrowed: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: fn, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([]);
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'payments',
      Layers: [],
      RevisionId: 'rev-1',
    });
    expect(result.changes.map((c) => c.undo?.ids)).toEqual([{ layerAccount: ['999999999999'], layerName: ['miner'] }]);
    const [step] = undoSteps(bot.meta.name, result.changes, scope);
    expect(step!.sessionPolicy!.Statement.find((s) => s.Action.includes('lambda:GetLayerVersion'))!.Resource).toEqual(
      layerArns([['999999999999', 'miner']]),
    );
  });

  it('reports already-compliant for a function with no layers or only its own', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolvesOnce({ FunctionName: 'payments' }).resolves(config(OWN));
    expect((await bot.run(botContext(bot, { resource: fn }))).status).toBe('already-compliant');
    expect((await bot.run(botContext(bot, { resource: fn }))).status).toBe('already-compliant');
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetLayerVersionCommand)).toHaveLength(0);
  });

  it('in dry run reads the kept layers, reports the update and does not make it', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(config(OWN, EXTERNAL));
    lambda.on(GetLayerVersionCommand).resolves({});
    const result = await bot.run(botContext(bot, { resource: fn, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]).toMatchObject({ action: 'lambda:UpdateFunctionConfiguration', applied: false });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it('changes nothing when a kept layer version cannot be read, and fails on a concurrent configuration change', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves(config(OWN, EXTERNAL));
    lambda.on(GetLayerVersionCommand).rejectsOnce(awsError('ResourceNotFoundException', 'layer version not found', 404));
    await expect(bot.run(botContext(bot, { resource: fn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);

    lambda.on(GetLayerVersionCommand).resolves({});
    lambda.on(UpdateFunctionConfigurationCommand).rejects(awsError('PreconditionFailedException', 'revision id mismatch', 412));
    await expect(bot.run(botContext(bot, { resource: fn }))).rejects.toMatchObject({ name: 'PreconditionFailedException' });
  });

  it('records ids whose undo session fits AssumeRole’s limit for the most a function can hold: five layers of five accounts, 140-character names', async () => {
    // The session names each recorded (account, name) pair once: five ARNs, whatever the publishers.
    const names = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(140));
    const accounts = ['222222222222', '999999999999', '580247275435', '111122223333', '444455556666'];
    const before = names.map((name, i) => `arn:aws-us-gov:lambda:us-gov-west-1:${accounts[i]}:layer:${name}:1`);
    lambda.on(GetFunctionConfigurationCommand).resolves(config(...before));
    const result = await bot.run(botContext(bot, { resource: fn, dryRun: true }));
    const ids = result.changes[0]!.undo!.ids!;
    expect(ids).toEqual({ layerAccount: accounts, layerName: names });
    const layers = bot.meta.undo!.layers!;
    if (!layers.reversible) throw new Error('layers must be reversible');
    const scope = { partition: 'aws-us-gov', account: '222222222222', region: 'us-gov-west-1', resourceId: 'f'.repeat(64), derived: ids };
    expect(JSON.stringify(sessionPolicyFor(layers, scope)).length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });

  it('undo reads the layer list and writes the recorded one back', async () => {
    const undoer = bot.undoers!.layers!;
    lambda.on(GetFunctionConfigurationCommand).resolves(config(OWN));
    lambda.on(UpdateFunctionConfigurationCommand).resolves({});
    expect(await undoer.read(undoCtx)).toEqual({ Layers: [OWN] });
    await undoer.write(undoCtx, { Layers: [OWN, EXTERNAL] });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toEqual({
      FunctionName: 'payments',
      Layers: [OWN, EXTERNAL],
    });
  });
});
