/** The handler's log group, created before the function so Lambda does not create one without retention. */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { HandlerContext } from './context';
import type { EncryptionKey } from './encryption';

export function addLogGroup(ctx: HandlerContext, key: EncryptionKey): CloudwatchLogGroup {
  return new CloudwatchLogGroup(ctx.scope, 'logs', {
    name: ctx.names.logGroup,
    retentionInDays: ctx.config.handler.logRetentionDays,
    ...(key.arn ? { kmsKeyId: key.arn } : {}),
  });
}
