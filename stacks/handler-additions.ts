/**
 * What the org rollout adds to a handler stack without reshaping it (the
 * HandlerStack constructor belongs to the handler stack's own module): the
 * pipeline role to apply it with, and the bus policy that lets the
 * organization's forwarding rules deliver.
 */
import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import type { CloudmendConfig } from '../config/schema';

/** With roles.securityAccountRoleName, the one pipeline identity assumes that role to apply the handler stack. */
export function useSecurityAccountRole(stack: TerraformStack, partition: string, config: CloudmendConfig): void {
  const role = config.roles.securityAccountRoleName;
  if (!role) return;
  for (const child of stack.node.children) {
    if (child instanceof AwsProvider && child.alias === undefined) {
      child.assumeRole = [{ roleArn: `arn:${partition}:iam::${config.securityAccount}:role/${role}`, sessionName: 'cloudmend-deployer' }];
    }
  }
}

export function addEventBusPolicy(stack: TerraformStack, policy: unknown): void {
  new CloudwatchEventBusPolicy(stack, 'organization-bus-policy', { eventBusName: 'default', policy: JSON.stringify(policy) });
}
