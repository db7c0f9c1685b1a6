import { z } from 'zod';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot } from '../types';
import { INSTANCE_ARN, autoScalingGroupOf, describeInstance, instanceArn, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

export default defineBot({
  meta: {
    name: 'ec2_terminate_instance',
    summary: 'Terminate the instance',
    description:
      'Terminates the instance. Irreversible: instance-store data and every EBS volume marked DeleteOnTermination are ' +
      'lost (consider ec2_create_snapshot first). Refuses, and changes nothing, when termination protection ' +
      '(DisableApiTermination) is on: it never turns the protection off. An Auto Scaling group will launch a ' +
      'replacement. Terminated or shutting-down instances are compliant.',
    resourceTypes: ['AWS::EC2::Instance'],
    remediates: { securityHub: ['EC2.4'], config: ['ec2-stopped-instance'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeInstances'],
        resources: ['*'],
        reason: 'read the instance state (DescribeInstances supports no resource-level permissions)',
      },
      {
        actions: ['ec2:DescribeInstanceAttribute', 'ec2:TerminateInstances'],
        resources: [INSTANCE_ARN],
        reason: 'check termination protection, then terminate the instance',
      },
    ],
    undo: {
      'instance-termination': {
        reversible: false,
        why: 'a terminated instance cannot be started again; its instance store and any volume deleted on termination are gone',
      },
    },
    destructive: true,
  },
  async run(ctx) {
    const { EC2Client, DescribeInstanceAttributeCommand, TerminateInstancesCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    const state = instance.State?.Name ?? 'unknown';
    if (isGone(instance)) return alreadyCompliant(`instance ${instanceId} is already ${state}`);

    const protection = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }));
    if (protection.DisableApiTermination?.Value) {
      return skipped(
        `instance ${instanceId} has termination protection (DisableApiTermination) on; not terminating it and ` +
          'not turning the protection off: remove the protection yourself if termination is intended',
      );
    }

    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'ec2:TerminateInstances',
        target: instanceArn(ctx, instanceId),
        description: `instance ${state} -> terminated`,
        undo: { kind: 'instance-termination', before: { state }, after: null },
      },
      () => ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })),
    );
    const group = autoScalingGroupOf(instance);
    const asgNote = group ? ` (Auto Scaling group ${group} will launch a replacement)` : '';
    return changes.result(`terminated ${instanceId}${asgNote}`);
  },
});
