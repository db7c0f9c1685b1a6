/**
 * What the instance bots share: the finding's instance id (validated), its ARN
 * template for permissions, and one DescribeInstances read.
 */
import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import type { BotContext, Finding, Permission } from '../types';
import { sdk } from '../sdk';

/** Instance ARN template; DescribeInstances itself supports no resource-level permissions. */
export const INSTANCE_ARN = 'arn:{partition}:ec2:{region}:{account}:instance/{resourceId}';

/** Reading the instance (state, interfaces, profile), which every instance bot does first. */
export const DESCRIBE_INSTANCE_STATE: Permission = {
  actions: ['ec2:DescribeInstances'],
  resources: ['*'],
  reason: 'read the instance’s state (DescribeInstances supports no resource-level permissions)',
};

/** Both id lengths AWS has issued: 8 hex digits (before 2016) and 17. */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The finding's resource id as an instance id, or a clear error naming what arrived instead. */
export function instanceIdOf(finding: Pick<Finding, 'resource'>): string {
  const { id, type } = finding.resource;
  if (!INSTANCE_ID.test(id)) {
    throw new Error(`expected an EC2 instance id (i-0123456789abcdef0) as the finding's resource, got ${type} "${id}"`);
  }
  return id;
}

export function instanceArn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, instanceId: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:instance/${instanceId}`;
}

export async function describeInstance(ec2: EC2Client, instanceId: string): Promise<Instance> {
  const { DescribeInstancesCommand } = await sdk.ec2();
  const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = output.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  if (!instance) throw new Error(`instance ${instanceId} not found (DescribeInstances returned no such instance)`);
  return instance;
}

/** States in which the instance is gone or going: nothing can be done to it any more. */
export function isGone(instance: Instance): boolean {
  const state = instance.State?.Name;
  return state === 'terminated' || state === 'shutting-down';
}

/** An Auto Scaling group replaces instances it finds stopped or unhealthy: worth saying in a result. */
export function autoScalingGroupOf(instance: Instance): string | undefined {
  return instance.Tags?.find((t) => t.Key === 'aws:autoscaling:groupName')?.Value;
}

/** EC2 tag values hold at most 256 characters; finding ids and rule names may be longer. */
export function tagValue(value: string): string {
  return value.length <= 256 ? value : value.slice(0, 256);
}
