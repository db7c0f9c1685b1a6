/** The ECS task a finding names (`cluster/taskId`, or its ARN), and reading it. */
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

/** The task, as `task/<cluster>/<task id>` (the long ARN format, the only one since 2021). */
export const TASK_ARN = 'arn:{partition}:ecs:{region}:{account}:task/{resourceId}';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const TASK_ID = /^[A-Za-z0-9-]{1,64}$/;

export interface TaskRef {
  cluster: string;
  taskId: string;
  arn: string;
}

/** The cluster and task id of the finding's task: `cluster/taskId`, or a task ARN of the finding's account naming both. */
export function taskOf(ctx: Pick<BotContext, 'finding' | 'partition' | 'region' | 'account'>): TaskRef {
  const id = ctx.finding.resource.id;
  const prefix = `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.account}:task/`;
  const path = id.startsWith(prefix) ? id.slice(prefix.length) : id;
  const [cluster, taskId, ...rest] = path.split('/');
  if (!cluster || !taskId || rest.length > 0 || !NAME.test(cluster) || !TASK_ID.test(taskId)) {
    throw new Error(`expected an ECS task as cluster/taskId (or its ARN in the finding's account and region), got "${id}"`);
  }
  return { cluster, taskId, arn: `${prefix}${cluster}/${taskId}` };
}

/** The task as ECS describes it, or undefined when ECS no longer knows it (stopped tasks are forgotten after about an hour). */
export async function describeTask(ecs: ECSClient, task: TaskRef): Promise<Task | undefined> {
  const { DescribeTasksCommand } = await sdk.ecs();
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: task.cluster, tasks: [task.taskId] }));
  return tasks.find((t) => t.taskArn?.endsWith(`/${task.taskId}`));
}

/** Stopped, or on its way there: StopTask would change nothing. */
export function isStopping(task: Task): boolean {
  return task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED' || task.lastStatus === 'DEPROVISIONING';
}

/** The service a task belongs to (its group is `service:<name>`), or undefined for a standalone task. */
export function serviceOf(task: Task): string | undefined {
  return task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined;
}

/** StopTask's reason: shown in the console and the task's stoppedReason; at most 255 characters. */
export function stopReason(bot: string, ctx: Pick<BotContext, 'finding'>): string {
  return `cloudmend ${bot}: ${ctx.finding.rule}`.slice(0, 255);
}
