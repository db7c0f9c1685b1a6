import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { GROUP_RESOURCE, groupArnOf, groupName, groupNameOfTarget, readGroup } from './group';
import { sdk } from '../sdk';

const NAME = 'autoscaling_enable_elb_health_check';
const DEFAULT_GRACE_SECONDS = 300;

/** The health check types of a group: a comma-separated list (`ELB`, `ELB,EBS`); EC2 status checks always apply, named or not. */
function healthCheckTypes(group: AutoScalingGroup): string[] {
  return (group.HealthCheckType ?? 'EC2')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Classic load balancers, target groups, or ELB traffic sources: what ELB health checks can ask. */
function loadBalancersOf(group: AutoScalingGroup): string[] {
  return [
    ...(group.LoadBalancerNames ?? []),
    ...(group.TargetGroupARNs ?? []),
    ...(group.TrafficSources ?? []).filter((s) => s.Type === 'elb' || s.Type === 'elbv2').map((s) => s.Identifier ?? ''),
  ].filter((id, i, all) => id !== '' && all.indexOf(id) === i);
}

interface HealthCheckState {
  HealthCheckType: string;
  HealthCheckGracePeriod: number;
}

function stateOf(group: AutoScalingGroup): HealthCheckState {
  return { HealthCheckType: group.HealthCheckType ?? 'EC2', HealthCheckGracePeriod: group.HealthCheckGracePeriod ?? 0 };
}

const UPDATE_PERMISSION = {
  actions: ['autoscaling:UpdateAutoScalingGroup'],
  resources: [GROUP_RESOURCE],
};
const DESCRIBE_PERMISSION = {
  actions: ['autoscaling:DescribeAutoScalingGroups'],
  // DescribeAutoScalingGroups supports no resource-level permission.
  resources: ['*'],
};

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on ELB health checks for an Auto Scaling group behind a load balancer',
    description:
      'Reads the group and, when it is attached to a load balancer (Classic Load Balancer names, target groups, or ELB ' +
      'traffic sources) but does not use ELB health checks, calls UpdateAutoScalingGroup with ELB added to its health ' +
      'check types (other types such as EBS are kept). Instances the load balancer reports unhealthy are then replaced. ' +
      'When the group’s health check grace period is shorter than `grace_period`, it is raised to it in the same call, so ' +
      'instances still starting up are not replaced; a longer one is kept. A group with no load balancer is skipped: ELB ' +
      'health checks would have nothing to ask. Nothing else on the group changes. Reversible: undo puts the health ' +
      'check type and grace period back.',
    resourceTypes: ['AWS::AutoScaling::AutoScalingGroup'],
    remediates: {
      securityHub: ['AutoScaling.1', 'PCI.AutoScaling.1'],
      config: ['autoscaling-group-elb-healthcheck-required'],
    },
    params: z.strictObject({
      grace_period: z.coerce
        .number()
        .int()
        .min(0)
        .max(7200)
        .default(DEFAULT_GRACE_SECONDS)
        .describe(
          'Minimum health check grace period in seconds (0-7200, default 300): how long a new instance may start up before a failed ' +
            'ELB health check replaces it. A longer existing grace period is kept.',
        ),
    }),
    positional: ['grace_period'],
    overridable: ['grace_period'],
    permissions: [
      { ...DESCRIBE_PERMISSION, reason: "read the group's load balancers, health check type and grace period" },
      { ...UPDATE_PERMISSION, reason: 'set the health check type (and grace period) of the group' },
    ],
    undo: {
      'health-check': {
        reversible: true,
        how: 'puts the health check type and grace period back as they were (EC2 status checks only, when ELB was not used)',
        permissions: [
          { ...DESCRIBE_PERMISSION, reason: "undo: read the group's health check type and grace period" },
          { ...UPDATE_PERMISSION, reason: 'undo: set the health check type and grace period back' },
        ],
      },
    },
  },
  undoers: {
    'health-check': {
      async read(ctx) {
        const { AutoScalingClient } = await sdk.autoScaling();
        return stateOf(await readGroup(ctx.client(AutoScalingClient), NAME, groupNameOfTarget(ctx.target)));
      },
      async write(ctx, state) {
        const { AutoScalingClient, UpdateAutoScalingGroupCommand } = await sdk.autoScaling();
        const { HealthCheckType, HealthCheckGracePeriod } = state as HealthCheckState;
        await ctx.client(AutoScalingClient).send(
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: groupNameOfTarget(ctx.target),
            HealthCheckType,
            HealthCheckGracePeriod,
          }),
        );
      },
    },
  },
  async run(ctx) {
    const { AutoScalingClient, UpdateAutoScalingGroupCommand } = await sdk.autoScaling();
    const autoscaling = ctx.client(AutoScalingClient);
    const name = groupName(NAME, ctx.finding.resource.id, ctx.region);
    const group = await readGroup(autoscaling, NAME, name);
    const types = healthCheckTypes(group);
    const changes = new ChangeSet(ctx);
    if (types.includes('ELB')) {
      return changes.result('', `Auto Scaling group ${name} already uses ELB health checks (${types.join(',')})`);
    }
    const balancers = loadBalancersOf(group);
    if (balancers.length === 0) {
      return skipped(
        `Auto Scaling group ${name} is attached to no load balancer or target group: ELB health checks would have nothing to check`,
      );
    }
    const before = stateOf(group);
    // EC2 status checks apply whatever the type says; the type names the checks added to them.
    const type = ['ELB', ...types.filter((t) => t !== 'EC2')].join(',');
    const grace = Math.max(before.HealthCheckGracePeriod, ctx.params.grace_period);
    const after = { HealthCheckType: type, HealthCheckGracePeriod: grace };
    const graceText =
      grace === before.HealthCheckGracePeriod
        ? `grace period ${grace}s kept`
        : `grace period ${before.HealthCheckGracePeriod}s -> ${grace}s`;
    await changes.apply(
      {
        action: 'autoscaling:UpdateAutoScalingGroup',
        target: groupArnOf(group, ctx, name),
        description: `health check type ${before.HealthCheckType} -> ${type} (load balancers: ${balancers.join(', ')}), ${graceText}`,
        undo: { kind: 'health-check', before, after },
      },
      () =>
        autoscaling.send(
          new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, HealthCheckType: type, HealthCheckGracePeriod: grace }),
        ),
    );
    return changes.result(`turned on ELB health checks for Auto Scaling group ${name} (${graceText})`);
  },
});
