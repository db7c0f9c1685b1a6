/** The Security Hub custom action an analyst picks to send findings to cloudmend. */
import { SecurityhubActionTarget } from '@cdktf/provider-aws/lib/securityhub-action-target';
import type { HandlerContext } from './context';

export const SECURITY_HUB_ACTION_ID = 'CloudmendRemediate';

export function addSecurityHubAction(ctx: HandlerContext): SecurityhubActionTarget {
  return new SecurityhubActionTarget(ctx.scope, 'securityhub-action', {
    name: 'Cloudmend remediate', // at most 20 characters
    identifier: SECURITY_HUB_ACTION_ID,
    description: 'Send the selected findings to cloudmend for remediation',
  });
}
