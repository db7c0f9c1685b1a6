/**
 * The Auto Scaling group a finding names: its name from the finding (a name,
 * or the group ARN Security Hub gives), and the group as DescribeAutoScalingGroups
 * answers. A group's ARN carries a unique id before its name
 * (`autoScalingGroup:<uuid>:autoScalingGroupName/<name>`); group names are unique
 * per Region, so `*` for that id names the one live group of the name.
 */
import type { AutoScalingClient, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

const GROUP_ARN = /^arn:[\w-]+:autoscaling:([\w-]+):\d{12}:autoScalingGroup:[^:]*:autoScalingGroupName\/(.+)$/;

export const GROUP_RESOURCE = 'arn:{partition}:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{resourceId}';

export function groupName(bot: string, resourceId: string, region: string): string {
  if (!resourceId.startsWith('arn:')) return resourceId;
  const match = GROUP_ARN.exec(resourceId);
  if (!match) throw new Error(`${bot}: "${resourceId}" is not an Auto Scaling group name or group ARN`);
  const [, arnRegion, name = ''] = match;
  if (arnRegion !== region)
    throw new Error(`${bot}: Auto Scaling group ${resourceId} is in ${arnRegion}, but the finding is for ${region}`);
  return name;
}

/** The group's name in a change's target (the group ARN), for undo. */
export function groupNameOfTarget(target: string): string {
  return GROUP_ARN.exec(target)?.[2] ?? target;
}

export function groupArnOf(group: AutoScalingGroup, ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, name: string): string {
  return (
    group.AutoScalingGroupARN ??
    `arn:${ctx.partition}:autoscaling:${ctx.region}:${ctx.account}:autoScalingGroup:*:autoScalingGroupName/${name}`
  );
}

export async function readGroup(autoscaling: AutoScalingClient, bot: string, name: string): Promise<AutoScalingGroup> {
  const { DescribeAutoScalingGroupsCommand } = await sdk.autoScaling();
  const { AutoScalingGroups } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
  if (!group) throw new Error(`${bot}: Auto Scaling group ${name} not found`);
  return group;
}
