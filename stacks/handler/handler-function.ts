/** The Lambda itself, from the one shared zip, with its async retries ending in the DLQ. */
import { AssetType, TerraformAsset } from 'cdktf';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { HANDLER_ENV, HANDLER_METRICS, stateTableName } from '../../config/runtime';
import type { HandlerContext } from './context';
import type { ExecutionRole } from './execution-role';

export interface HandlerFunctionInputs {
  executionRole: ExecutionRole;
  logGroup: CloudwatchLogGroup;
  dlq: SqsQueue;
}

export function addHandlerFunction(ctx: HandlerContext, inputs: HandlerFunctionInputs): LambdaFunction {
  const { config, props, names } = ctx;
  const asset = new TerraformAsset(ctx.scope, 'code', {
    path: props.code.zipFile,
    type: AssetType.FILE,
    assetHash: props.code.zipSha256,
  });
  const fn = new LambdaFunction(ctx.scope, 'handler', {
    functionName: names.function,
    description: `cloudmend: remediates findings in ${ctx.region} (${config.mode})`,
    role: inputs.executionRole.role.arn,
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    handler: 'index.handler',
    filename: asset.path,
    sourceCodeHash: Buffer.from(props.code.zipSha256, 'hex').toString('base64'),
    memorySize: config.handler.memorySize,
    timeout: config.handler.timeoutSeconds,
    reservedConcurrentExecutions: config.handler.reservedConcurrency,
    loggingConfig: { logFormat: 'JSON', logGroup: inputs.logGroup.name },
    environment: {
      variables: {
        [HANDLER_ENV.configDigest]: props.configDigest,
        [HANDLER_ENV.mode]: config.mode,
        [HANDLER_ENV.memberRoleName]: config.roles.memberRoleName,
        [HANDLER_ENV.externalId]: config.roles.externalId,
        [HANDLER_ENV.outputTopicArn]: ctx.arn('sns', names.outputTopic),
        [HANDLER_METRICS.serviceEnv]: names.metricsService,
        [HANDLER_ENV.stateTable]: stateTableName(ctx.region, config.naming.prefix),
      },
    },
    dependsOn: [inputs.executionRole.policy, inputs.logGroup],
  });
  new LambdaFunctionEventInvokeConfig(ctx.scope, 'async', {
    functionName: fn.functionName,
    maximumRetryAttempts: config.handler.maxRetries,
    destinationConfig: { onFailure: { destination: inputs.dlq.arn } },
  });
  return fn;
}
