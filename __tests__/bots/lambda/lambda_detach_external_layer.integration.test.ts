/**
 * moto 5.2.1 cannot hold a layer of another account on a function: it resolves a layer ARN by the layer's name in the
 * function's own account and stores that account's ARN. So against moto this shows the own-account side (a function
 * with its own layer is left alone, the layer read through the narrowed session); the removal of other accounts'
 * layers, and its undo, are proved by the unit tests' exact inputs (the undo session naming the recorded layers' accounts
 * and names included), and what that session may read by the simulations in policies/undo.test.ts.
 */
import { GetFunctionConfigurationCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import bot from '../../../bots/lambda/lambda_detach_external_layer';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { admin, botSession, handlerZip, seedFunction } from './lambda-moto';

describeMoto('lambda_detach_external_layer against moto', () => {
  it('leaves a function with only its own account’s layer alone, with its own session policy', async () => {
    const session = await admin();
    const lambda = session.client(LambdaClient);
    const layer = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'shared-libs', Content: { ZipFile: handlerZip() }, CompatibleRuntimes: ['python3.12'] }),
    );
    await seedFunction(session, 'payments', { Layers: [layer.LayerVersionArn!] });

    const scoped = await botSession(bot, 'payments');
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::Lambda::Function', id: 'payments' }, client: scoped.client }));
    expect(result.status).toBe('already-compliant');
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'payments' }));
    expect(after.Layers?.map((l) => l.Arn)).toEqual([layer.LayerVersionArn]);
  });
});
