/** The Security Hub custom action an analyst picks to send findings to cloudmend, as its source declares it. */
import { SecurityhubActionTarget } from '@cdktf/provider-aws/lib/securityhub-action-target';
import { type CustomActionDeclaration, SECURITY_HUB_CUSTOM_ACTION } from '../../config/sources';
import type { HandlerContext } from './context';

export const SECURITY_HUB_ACTION_ID = SECURITY_HUB_CUSTOM_ACTION.identifier;

export function addSecurityHubAction(
  ctx: HandlerContext,
  action: CustomActionDeclaration = SECURITY_HUB_CUSTOM_ACTION,
): SecurityhubActionTarget {
  const prefix = ctx.config.naming.prefix;
  // Ids are unique per account and region, at most 20 characters (names too): a prefixed one is shorter than the default.
  const capitalized = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return new SecurityhubActionTarget(ctx.scope, 'securityhub-action', {
    name: prefix ? `${prefix} remediate` : action.name,
    identifier: prefix ? `${capitalized}Remediate` : action.identifier,
    description: action.description,
  });
}
