import { z } from 'zod';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { INSTANCE_ARN, autoScalingGroupOf, describeInstance, instanceArn, instanceIdOf, isGone } from './instance';
import { sdk } from '../sdk';

/** The instance id of the instance ARN a change names. */
const idOfArn = (target: string) => target.slice(target.lastIndexOf('/') + 1);

export default defineBot({
  meta: {
    name: 'ec2_stop_instance',
    summary: 'Stop the instance',
    description:
      'Stops a pending or running instance (no hibernation, no force). Disruptive but reversible: the instance, its ' +
      'EBS volumes and Elastic IPs stay and it can be started again; instance-store data and an auto-assigned public ' +
      'IP are lost. An Auto Scaling group may replace a stopped member (the result says so). Not flagged destructive, ' +
      'as in CloudBots, so it runs without an opt-in. Stopped or stopping instances are compliant; terminated ones are skipped.',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeInstances'],
        resources: ['*'],
        reason: 'read the instance state (DescribeInstances supports no resource-level permissions)',
      },
      { actions: ['ec2:StopInstances'], resources: [INSTANCE_ARN], reason: 'stop the instance' },
    ],
    undo: {
      'instance-state': {
        reversible: true,
        how: 'starts the instance again (a new auto-assigned public IP; instance-store data lost by the stop stays lost)',
        permissions: [
          {
            actions: ['ec2:DescribeInstances'],
            resources: ['*'],
            reason: 'undo: read the instance state (DescribeInstances supports no resource-level permissions)',
          },
          { actions: ['ec2:StartInstances'], resources: [INSTANCE_ARN], reason: 'undo: start the stopped instance again' },
        ],
      },
    },
  },
  undoers: {
    'instance-state': {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        const state = (await describeInstance(ctx.client(EC2Client), idOfArn(ctx.target))).State?.Name ?? 'unknown';
        // Moving towards a state counts as in it: a stop just made may still read stopping.
        return { State: state === 'pending' ? 'running' : state === 'stopping' ? 'stopped' : state };
      },
      async write(ctx) {
        const { EC2Client, StartInstancesCommand } = await sdk.ec2();
        await ctx.client(EC2Client).send(new StartInstancesCommand({ InstanceIds: [idOfArn(ctx.target)] }));
      },
    },
  },
  async run(ctx) {
    const { EC2Client, StopInstancesCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const instance = await describeInstance(ec2, instanceId);
    const state = instance.State?.Name ?? 'unknown';
    if (isGone(instance)) return skipped(`instance ${instanceId} is ${state}; nothing to stop`);

    const changes = new ChangeSet(ctx);
    if (state !== 'stopped' && state !== 'stopping') {
      await changes.apply(
        {
          action: 'ec2:StopInstances',
          target: instanceArn(ctx, instanceId),
          description: `instance ${state} -> stopped`,
          undo: { kind: 'instance-state', before: { State: 'running' }, after: { State: 'stopped' } },
        },
        () => ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] })),
      );
    }
    const group = autoScalingGroupOf(instance);
    const asgNote = group ? ` (it belongs to Auto Scaling group ${group}, which may replace it)` : '';
    return changes.result(`stopped ${instanceId}${asgNote}`, `instance ${instanceId} is already ${state}`);
  },
});
