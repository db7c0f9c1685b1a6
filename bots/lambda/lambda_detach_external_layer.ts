import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { FUNCTION_ARN, functionArnOf, functionNameOf, functionOfTarget } from './function';
import { sdk } from '../sdk';

const KIND = 'layers';
/** The function's own account's layer versions it keeps, named once the bot has read them. */
const OWN_LAYER_ARN = 'arn:{partition}:lambda:{region}:{account}:layer:{layerName}:*';
/**
 * The layers undo puts back, of whichever accounts published them, as the change recorded them: each recorded
 * (account, name) pair (the two are paired placeholders, bots/permissions.ts), any version of those.
 */
const RECORDED_LAYER_ARN = 'arn:{partition}:lambda:{region}:{layerAccount}:layer:{layerName}:*';

/** `arn:aws:lambda:us-east-1:123456789012:layer:name:3` -> its account, name and version. */
function parseLayerArn(arn: string): { account: string; name: string; version: number } | undefined {
  const match = /^arn:[^:]+:lambda:[^:]+:(\d{12}):layer:([A-Za-z0-9_-]+):(\d+)$/.exec(arn);
  return match ? { account: match[1] as string, name: match[2] as string, version: Number(match[3]) } : undefined;
}

/**
 * The layers of `arns` as (account, name) pairs, the i-th account with the i-th name: what an undo session setting
 * them back may read, and no other layer.
 */
function layerIds(arns: readonly string[]): { layerAccount: string[]; layerName: string[] } {
  const pairs = new Map<string, { account: string; name: string }>();
  for (const layer of arns.flatMap((arn) => parseLayerArn(arn) ?? [])) pairs.set(`${layer.account}:${layer.name}`, layer);
  return { layerAccount: [...pairs.values()].map((p) => p.account), layerName: [...pairs.values()].map((p) => p.name) };
}

/** The undo state: the layer version ARNs of the function, in their order (it decides which layer's files win). */
interface LayersState {
  Layers: string[];
}

async function readLayers(ctx: Pick<UndoContext, 'client'>, functionName: string): Promise<LayersState & { revision?: string }> {
  const { LambdaClient, GetFunctionConfigurationCommand } = await sdk.lambda();
  const config = await ctx.client(LambdaClient).send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return { Layers: (config.Layers ?? []).map((layer) => layer.Arn ?? ''), ...(config.RevisionId ? { revision: config.RevisionId } : {}) };
}

export default defineBot({
  meta: {
    name: 'lambda_detach_external_layer',
    summary: 'Remove from the function the layers published by other accounts',
    description:
      'Reads the layers of the function (its $LATEST configuration) and sets its layer list to the layers of its own account ' +
      'alone, in their order; every layer version published by another account is removed, AWS-published ones (extensions such ' +
      'as Lambda Insights) included, since their code runs inside the function with its permissions. The layers kept are read ' +
      'first (GetLayerVersion), as Lambda checks that permission for the layers of an update. The update is conditional on the ' +
      'configuration revision read, so a concurrent change fails it instead of being overwritten. The function’s code, other ' +
      'settings and published versions are left alone; code that imports a removed layer fails when it runs. The layer list it ' +
      'had is recorded, and `cloudmend undo` puts it back, allowed to read the layers of that list only.',
    resourceTypes: ['AWS::Lambda::Function'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'],
        resources: [FUNCTION_ARN],
        reason: 'read the layers of the function and set them to its own account’s',
      },
      {
        actions: ['lambda:GetLayerVersion'],
        resources: [OWN_LAYER_ARN],
        reason: 'read the layer versions of its own account the function keeps (only those read from the function)',
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'sets the layer list back to what it was (a removed layer version must still exist and be shared with the account)',
        permissions: [
          {
            actions: ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'],
            resources: [FUNCTION_ARN],
            reason: 'undo: read the layers of the function and set them back',
          },
          {
            // Lambda checks the caller may read each layer of the update: the ones of other accounts put back and the own kept.
            actions: ['lambda:GetLayerVersion'],
            resources: [RECORDED_LAYER_ARN],
            reason:
              'undo: use the layers the function had again (read-only; only the (account, layer name) pairs the change recorded; ' +
              'another account’s layer’s own policy still decides)',
          },
        ],
        recordsIds: ['layerAccount', 'layerName'],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx) {
        return { Layers: (await readLayers(ctx, functionOfTarget(ctx))).Layers };
      },
      async write(ctx, state) {
        const { LambdaClient, UpdateFunctionConfigurationCommand } = await sdk.lambda();
        await ctx
          .client(LambdaClient)
          .send(new UpdateFunctionConfigurationCommand({ FunctionName: functionOfTarget(ctx), Layers: (state as LayersState).Layers }));
      },
    },
  },
  async run(ctx) {
    const { LambdaClient, GetLayerVersionCommand, UpdateFunctionConfigurationCommand } = await sdk.lambda();
    const lambda = ctx.client(LambdaClient);
    const name = functionNameOf(ctx);
    const { Layers: layers, revision } = await readLayers(ctx, name);
    const ownLayers = layers.flatMap((arn) => {
      const layer = parseLayerArn(arn);
      return layer?.account === ctx.account ? [{ arn, ...layer }] : [];
    });
    const kept = ownLayers.map((layer) => layer.arn);
    const removed = layers.filter((arn) => !kept.includes(arn));
    const changes = new ChangeSet(ctx);
    if (removed.length > 0) {
      // The kept layers are read, and the update sent, through credentials naming exactly the layers read from the function.
      const keptNames = [...new Set(ownLayers.map((layer) => layer.name))];
      const writer = keptNames.length === 0 ? lambda : (await ctx.narrowTo({ layerName: keptNames }))(LambdaClient);
      for (const { arn, version } of ownLayers) {
        await writer.send(new GetLayerVersionCommand({ LayerName: arn.slice(0, arn.lastIndexOf(':')), VersionNumber: version }));
      }
      await changes.apply(
        {
          action: 'lambda:UpdateFunctionConfiguration',
          target: functionArnOf(ctx, name),
          description: `layers: removed ${removed.join(', ')} (other accounts'); kept ${kept.length ? kept.join(', ') : 'none'}`,
          // Undo sessions may read the layers it sets back (these accounts' layers of these names), and no other.
          undo: { kind: KIND, before: { Layers: layers }, after: { Layers: kept }, ids: layerIds(layers) },
        },
        () =>
          writer.send(
            new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: kept, ...(revision ? { RevisionId: revision } : {}) }),
          ),
      );
    }
    return changes.result(
      `removed ${removed.length} layer(s) of other accounts from Lambda function ${name}: ${removed.join(', ')}`,
      `Lambda function ${name} uses no layer of another account`,
    );
  },
});
