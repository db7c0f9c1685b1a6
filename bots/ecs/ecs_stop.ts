import { z } from 'zod';
import type { ContainerInstance, ECSClient } from '@aws-sdk/client-ecs';
import { ChangeSet, skipped } from '../changes';
import { defineBot, type UndoContext } from '../types';
import { TASK_ARN, describeTask, isStopping, serviceOf, stopReason, taskOf } from './task';
import { sdk } from '../sdk';
import { flagParam } from '../args';

const NAME = 'ecs_stop';
const DRAIN = 'container-instance-state';
/** The container instance the task ran on, named once read from the task. */
const CONTAINER_INSTANCE_ARN = 'arn:{partition}:ecs:{region}:{account}:container-instance/{clusterName}/{containerInstanceId}';

/** `arn:...:container-instance/<cluster>/<id>` (or the old `container-instance/<id>`, in `cluster`) -> its cluster and id. */
function containerInstanceOf(arn: string, cluster?: string): { cluster: string; id: string } | undefined {
  const match = /:container-instance\/(?:([A-Za-z0-9_-]+)\/)?([A-Za-z0-9-]+)$/.exec(arn);
  const inCluster = match?.[1] ?? cluster;
  return match && inCluster ? { cluster: inCluster, id: match[2] as string } : undefined;
}

async function describeContainerInstance(ecs: ECSClient, cluster: string, id: string): Promise<ContainerInstance | undefined> {
  const { DescribeContainerInstancesCommand } = await sdk.ecs();
  const { containerInstances = [] } = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [id] }));
  return containerInstances[0];
}

async function undoTarget(ctx: UndoContext) {
  const { ECSClient } = await sdk.ecs();
  const instance = containerInstanceOf(ctx.target, ctx.change?.ids?.clusterName?.[0]);
  if (!instance) throw new Error(`${ctx.target} is not a container instance ARN`);
  return { ecs: ctx.client(ECSClient), ...instance };
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Stop the task, and drain the container instance it ran on',
    description:
      'Stops the task (StopTask, with the finding’s rule as the reason). A task of a service is replaced by the service ' +
      'scheduler (to keep it from coming back, scale the service: not done here); a standalone task is gone for good. When ' +
      'the task ran on an EC2 container instance and `drain_instance` is on, the instance is then set to DRAINING: ECS ' +
      'places no new task on it and moves the service tasks it hosts elsewhere, while tasks it runs outside services keep ' +
      'running. The instance is not deregistered (CloudBots does that; it would orphan whatever else runs there) and the EC2 ' +
      'instance is not stopped. Draining is recorded with the instance, and `cloudmend undo` sets that instance ACTIVE again; the stopped task ' +
      'cannot be brought back. Fargate tasks have no container instance: only the task is stopped.',
    resourceTypes: ['AWS::ECS::Task'],
    params: z.strictObject({
      drain_instance: flagParam
        .default(true)
        .describe('Also set the EC2 container instance the task ran on to DRAINING (no new tasks; service tasks moved off).'),
    }),
    overridable: ['drain_instance'],
    destructive: true,
    permissions: [
      {
        actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
        resources: [TASK_ARN],
        reason: 'read the task (its status and container instance) and stop it',
      },
      {
        actions: ['ecs:DescribeContainerInstances', 'ecs:UpdateContainerInstancesState'],
        resources: [CONTAINER_INSTANCE_ARN],
        reason: 'read the container instance the task ran on and set it to DRAINING (only the one read from the task)',
      },
    ],
    undo: {
      'task-stopped': { reversible: false, why: 'a stopped task cannot be started again' },
      [DRAIN]: {
        reversible: true,
        how: 'sets the container instance ACTIVE again, so ECS places tasks on it',
        permissions: [
          {
            actions: ['ecs:DescribeContainerInstances', 'ecs:UpdateContainerInstancesState'],
            resources: [CONTAINER_INSTANCE_ARN],
            reason: 'undo: read the drained container instance (the one the change recorded) and set it ACTIVE',
          },
        ],
        recordsIds: ['clusterName', 'containerInstanceId'],
      },
    },
  },
  undoers: {
    [DRAIN]: {
      async read(ctx) {
        const { ecs, cluster, id } = await undoTarget(ctx);
        return { status: (await describeContainerInstance(ecs, cluster, id))?.status ?? 'MISSING' };
      },
      async write(ctx, state) {
        const { UpdateContainerInstancesStateCommand } = await sdk.ecs();
        const { ecs, cluster, id } = await undoTarget(ctx);
        const status = (state as { status: 'ACTIVE' | 'DRAINING' }).status;
        await ecs.send(new UpdateContainerInstancesStateCommand({ cluster, containerInstances: [id], status }));
      },
    },
  },
  async run(ctx) {
    const { ECSClient, StopTaskCommand, UpdateContainerInstancesStateCommand } = await sdk.ecs();
    const ecs = ctx.client(ECSClient);
    const ref = taskOf(ctx);
    const task = await describeTask(ecs, ref);
    if (!task) return skipped(`ECS task ${ref.cluster}/${ref.taskId} not found (ECS forgets stopped tasks after about an hour)`);
    const changes = new ChangeSet(ctx);
    const service = serviceOf(task);
    if (!isStopping(task)) {
      await changes.apply(
        {
          action: 'ecs:StopTask',
          target: task.taskArn ?? ref.arn,
          description:
            `stopped task ${ref.taskId} (${task.lastStatus}) in ${ref.cluster}` +
            (service ? `; its service ${service} will start a replacement` : '; it belongs to no service and will not come back'),
          undo: { kind: 'task-stopped', before: { lastStatus: task.lastStatus }, after: { desiredStatus: 'STOPPED' } },
        },
        () => ecs.send(new StopTaskCommand({ cluster: ref.cluster, task: ref.taskId, reason: stopReason(NAME, ctx) })),
      );
    }
    const instance = task.containerInstanceArn ? containerInstanceOf(task.containerInstanceArn, ref.cluster) : undefined;
    let drained = '';
    if (ctx.params.drain_instance && instance) {
      // The container instance is read and drained through credentials naming that instance alone.
      // Undo sessions name the same instance, recorded with the change.
      const ids = { clusterName: [instance.cluster], containerInstanceId: [instance.id] };
      const narrowed = (await ctx.narrowTo(ids))(ECSClient);
      const current = await describeContainerInstance(narrowed, instance.cluster, instance.id);
      if (current?.status === 'ACTIVE') {
        const others = Math.max((current.runningTasksCount ?? 0) - (isStopping(task) ? 0 : 1), 0);
        await changes.apply(
          {
            action: 'ecs:UpdateContainerInstancesState',
            target: current.containerInstanceArn ?? task.containerInstanceArn ?? instance.id,
            description: `container instance ${instance.id} (EC2 ${current.ec2InstanceId ?? 'unknown'}) ACTIVE -> DRAINING; ${others} other running task(s) there: service tasks move elsewhere, others keep running`,
            undo: { kind: DRAIN, before: { status: 'ACTIVE' }, after: { status: 'DRAINING' }, ids },
          },
          async () => {
            const { failures = [] } = await narrowed.send(
              new UpdateContainerInstancesStateCommand({
                cluster: instance.cluster,
                containerInstances: [instance.id],
                status: 'DRAINING',
              }),
            );
            if (failures.length > 0) throw new Error(`draining ${instance.id} failed: ${failures.map((f) => f.reason).join(', ')}`);
          },
        );
        drained = ` and drained container instance ${instance.id}`;
      }
    }
    return changes.result(
      `stopped task ${ref.taskId} in ${ref.cluster}${drained}`,
      `ECS task ${ref.cluster}/${ref.taskId} is already ${task.lastStatus}` +
        (instance && ctx.params.drain_instance ? `, and its container instance ${instance.id} is not ACTIVE` : ''),
    );
  },
});
