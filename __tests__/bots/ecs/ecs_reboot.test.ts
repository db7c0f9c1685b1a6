import { mockClient } from 'aws-sdk-client-mock';
import { DescribeTasksCommand, ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import bot from '../../../bots/ecs/ecs_reboot';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const TASK_ID = '0123456789abcdef0123456789abcdef';
const ARN = `arn:aws:ecs:us-east-1:222222222222:task/prod/${TASK_ID}`;
const task = { type: 'AWS::ECS::Task', id: `prod/${TASK_ID}` };
const running = { taskArn: ARN, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', group: 'service:web' };

describe('ecs_reboot', () => {
  const ecs = mockClient(ECSClient);
  beforeEach(() => ecs.reset());
  afterAll(() => ecs.restore());

  it('stops a running task of a service, naming the finding’s rule as the reason', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [running] });
    ecs.on(StopTaskCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: task, finding: { rule: 'GuardDuty Runtime finding' } }));

    expect(ecs.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', tasks: [TASK_ID] });
    expect(ecs.commandCalls(StopTaskCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      task: TASK_ID,
      reason: 'cloudmend ecs_reboot: GuardDuty Runtime finding',
    });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`stopped task ${TASK_ID} of service web in prod, which replaces it with a new task`);
    expect(result.changes).toEqual([expect.objectContaining({ action: 'ecs:StopTask', target: ARN, applied: true })]);
    expect(result.changes[0]!.undo?.kind).toBe('task-stopped');
    expect(bot.meta.undo?.['task-stopped']?.reversible).toBe(false);
  });

  it('accepts the task ARN as the resource id', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [running] });
    ecs.on(StopTaskCommand).resolves({});
    await bot.run(botContext(bot, { resource: { type: 'AWS::ECS::Task', id: ARN } }));
    expect(ecs.commandCalls(StopTaskCommand)[0]!.args[0].input).toMatchObject({ cluster: 'prod', task: TASK_ID });
  });

  it('skips a task that belongs to no service: it would not come back', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ ...running, group: 'family:batch' }] });
    const result = await bot.run(botContext(bot, { resource: task }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('stopping it would not bring it back');
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  it('reports already-compliant for a stopping task, and skips one ECS no longer knows', async () => {
    ecs.on(DescribeTasksCommand).resolvesOnce({ tasks: [{ ...running, desiredStatus: 'STOPPED', lastStatus: 'DEACTIVATING' }] });
    expect((await bot.run(botContext(bot, { resource: task }))).status).toBe('already-compliant');
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: ARN, reason: 'MISSING' }] });
    expect((await bot.run(botContext(bot, { resource: task }))).status).toBe('skipped');
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the stop and does not make it', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [running] });
    const result = await bot.run(botContext(bot, { resource: task, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]).toMatchObject({ action: 'ecs:StopTask', applied: false });
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  it('refuses a malformed task id and fails with the error ECS gives', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::ECS::Task', id: TASK_ID } }))).rejects.toThrow(/cluster\/taskId/);
    ecs.on(DescribeTasksCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.', 400));
    await expect(bot.run(botContext(bot, { resource: task }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });
});
