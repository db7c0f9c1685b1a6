/** The AWS provider of a handler stack: the region, and the security account only. */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { deploymentTags } from '../tags';
import type { HandlerContext } from './context';

export function addProvider(ctx: HandlerContext): AwsProvider {
  return new AwsProvider(ctx.scope, 'aws', {
    region: ctx.region,
    allowedAccountIds: [ctx.account],
    defaultTags: [{ tags: deploymentTags(ctx.config, 'handler') }],
  });
}
