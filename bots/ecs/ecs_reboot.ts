import { z } from 'zod';
import { ChangeSet, alreadyCompliant, skipped } from '../changes';
import { defineBot } from '../types';
import { TASK_ARN, describeTask, isStopping, serviceOf, stopReason, taskOf } from './task';
import { sdk } from '../sdk';

const NAME = 'ecs_reboot';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Stop the task so its service starts a fresh one in its place',
    description:
      'Stops the task (StopTask, with the finding’s rule as the reason) when it belongs to an ECS service: the service ' +
      'scheduler then starts a new task from the service’s task definition, so a compromised or drifted container is ' +
      'replaced by a clean one. A task that belongs to no service (started by RunTask or a schedule) is skipped, since ' +
      'stopping it would not bring it back: use ecs_stop for that. The service, its task definition and the cluster are ' +
      'left as they are. A task already stopping or stopped is reported as already done.',
    resourceTypes: ['AWS::ECS::Task'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
        resources: [TASK_ARN],
        reason: 'read the task (its service and status) and stop it',
      },
    ],
    undo: { 'task-stopped': { reversible: false, why: 'a stopped task cannot be started again; its service has started a new one' } },
  },
  async run(ctx) {
    const { ECSClient, StopTaskCommand } = await sdk.ecs();
    const ecs = ctx.client(ECSClient);
    const ref = taskOf(ctx);
    const task = await describeTask(ecs, ref);
    if (!task) return skipped(`ECS task ${ref.cluster}/${ref.taskId} not found (ECS forgets stopped tasks after about an hour)`);
    if (isStopping(task)) return alreadyCompliant(`ECS task ${ref.cluster}/${ref.taskId} is already ${task.lastStatus}`);
    const service = serviceOf(task);
    if (!service) {
      return skipped(
        `ECS task ${ref.cluster}/${ref.taskId} belongs to no service (group ${task.group ?? 'none'}): stopping it would not bring ` +
          'it back; use ecs_stop to stop it for good',
      );
    }
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'ecs:StopTask',
        target: task.taskArn ?? ref.arn,
        description: `stopped task ${ref.taskId} (${task.lastStatus}) of service ${service} in ${ref.cluster}; the service starts a new one`,
        undo: { kind: 'task-stopped', before: { lastStatus: task.lastStatus }, after: { desiredStatus: 'STOPPED' } },
      },
      () => ecs.send(new StopTaskCommand({ cluster: ref.cluster, task: ref.taskId, reason: stopReason(NAME, ctx) })),
    );
    return changes.result(`stopped task ${ref.taskId} of service ${service} in ${ref.cluster}, which replaces it with a new task`);
  },
});
