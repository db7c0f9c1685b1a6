import { DescribeContainerInstancesCommand, DescribeTasksCommand } from '@aws-sdk/client-ecs';
import bot from '../../../bots/ecs/ecs_stop';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, botSession, remediateForUndo } from '../lambda/lambda-moto';
import { seedCluster } from './ecs-moto';

const params = { drain_instance: true };

describeMoto('ecs_stop against moto', () => {
  it('stops a task and drains its container instance through narrowed sessions, then reports already-compliant', async () => {
    const { ecs, standaloneTask, containerInstanceArn } = await seedCluster();
    const resource = { type: 'AWS::ECS::Task', id: standaloneTask };
    const scoped = await botSession(bot, standaloneTask);
    const narrowClient = async (ids: Record<string, readonly string[]>) =>
      (
        await memberSession(
          MEMBER,
          REGION,
          sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId: standaloneTask, derived: ids }),
        )
      ).client;

    const first = await bot.run(botContext(bot, { resource, params, client: scoped.client, narrowClient }));
    expect(first.status).toBe('remediated');
    expect(first.changes.map((c) => c.action)).toEqual(['ecs:StopTask', 'ecs:UpdateContainerInstancesState']);
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [standaloneTask.split('/')[1]!] }))).tasks!;
    expect(task?.desiredStatus).toBe('STOPPED');
    const [instance] = (
      await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: [containerInstanceArn] }))
    ).containerInstances!;
    expect(instance?.status).toBe('DRAINING');

    const second = await bot.run(botContext(bot, { resource, params, client: scoped.client, narrowClient }));
    expect(second.status).toBe('already-compliant');
  });

  it('undo sets the drained container instance ACTIVE again and refuses to restart the task', async () => {
    const { ecs, standaloneTask, containerInstanceArn } = await seedCluster();
    const { outcome, undoIt } = await remediateForUndo(bot, standaloneTask, 'AWS::ECS::Task', params);
    expect(outcome.result?.status).toBe('remediated');
    // The drained instance, as moto named it, is the one the undo session names.
    expect(outcome.result?.changes.map((c) => c.undo?.ids)).toEqual([
      undefined,
      { clusterName: ['prod'], containerInstanceId: [containerInstanceArn.split('/').pop()] },
    ]);

    const { code, printed } = await undoIt();
    expect(printed).toContain('restored: ecs:UpdateContainerInstancesState');
    expect(printed).toContain('REFUSED, irreversible: a stopped task cannot be started again');
    expect(code).toBe(1);
    const [instance] = (
      await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'prod', containerInstances: [containerInstanceArn] }))
    ).containerInstances!;
    expect(instance?.status).toBe('ACTIVE');
  });
});
