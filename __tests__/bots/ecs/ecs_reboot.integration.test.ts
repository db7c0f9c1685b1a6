import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import bot from '../../../bots/ecs/ecs_reboot';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession } from '../lambda/lambda-moto';
import { seedCluster } from './ecs-moto';

describeMoto('ecs_reboot against moto', () => {
  it('stops a task of a service with its own session policy, then reports it already stopped; skips a standalone task', async () => {
    const { ecs, serviceTask, standaloneTask } = await seedCluster();
    const resource = { type: 'AWS::ECS::Task', id: serviceTask };
    const scoped = await botSession(bot, serviceTask);

    const first = await bot.run(botContext(bot, { resource, client: scoped.client }));
    expect(first.status).toBe('remediated');
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [serviceTask.split('/')[1]!] }))).tasks!;
    expect(task).toMatchObject({ desiredStatus: 'STOPPED', stoppedReason: 'cloudmend ecs_reboot: test rule' });

    const second = await bot.run(botContext(bot, { resource, client: scoped.client }));
    expect(second.status).toBe('already-compliant');

    const standalone = await bot.run(
      botContext(bot, { resource: { type: 'AWS::ECS::Task', id: standaloneTask }, client: (await botSession(bot, standaloneTask)).client }),
    );
    expect(standalone.status).toBe('skipped');
  });
});
