import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ECSClient,
  StopTaskCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import bot from '../../../bots/ecs/ecs_stop';
import type { DerivedIds } from '../../../bots/types';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';
import { undoSteps } from '../../support/undo-through-session';

const TASK_ID = '0123456789abcdef0123456789abcdef';
const CI_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const ARN = `arn:aws:ecs:us-east-1:222222222222:task/prod/${TASK_ID}`;
const CI_ARN = `arn:aws:ecs:us-east-1:222222222222:container-instance/prod/${CI_ID}`;
const task = { type: 'AWS::ECS::Task', id: `prod/${TASK_ID}` };
const onEc2 = { taskArn: ARN, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', group: 'family:batch', containerInstanceArn: CI_ARN };
const instance = { containerInstanceArn: CI_ARN, ec2InstanceId: 'i-0123456789abcdef0', status: 'ACTIVE', runningTasksCount: 3 };
const undoCtx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: CI_ARN };

describe('ecs_stop', () => {
  const ecs = mockClient(ECSClient);
  beforeEach(() => ecs.reset());
  afterAll(() => ecs.restore());

  it('stops the task, then drains its container instance through a session naming that instance', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [onEc2] });
    ecs.on(StopTaskCommand).resolves({});
    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [instance] });
    ecs.on(UpdateContainerInstancesStateCommand).resolves({ containerInstances: [{ ...instance, status: 'DRAINING' }], failures: [] });
    const narrowed: DerivedIds[] = [];

    const result = await bot.run(botContext(bot, { resource: task, finding: { rule: 'r1' }, onNarrow: (ids) => narrowed.push(ids) }));

    expect(ecs.commandCalls(StopTaskCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      task: TASK_ID,
      reason: 'cloudmend ecs_stop: r1',
    });
    expect(narrowed).toEqual([{ clusterName: ['prod'], containerInstanceId: [CI_ID] }]);
    expect(ecs.commandCalls(DescribeContainerInstancesCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', containerInstances: [CI_ID] });
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      containerInstances: [CI_ID],
      status: 'DRAINING',
    });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(`stopped task ${TASK_ID} in prod and drained container instance ${CI_ID}`);
    expect(result.changes.map((c) => [c.action, c.target, c.undo?.kind])).toEqual([
      ['ecs:StopTask', ARN, 'task-stopped'],
      ['ecs:UpdateContainerInstancesState', CI_ARN, 'container-instance-state'],
    ]);
    expect(result.changes[0]!.description).toContain('it belongs to no service and will not come back');
    expect(result.changes[1]!.description).toContain('2 other running task(s) there');
    expect(result.changes[1]!.undo).toEqual({
      kind: 'container-instance-state',
      before: { status: 'ACTIVE' },
      after: { status: 'DRAINING' },
      ids: { clusterName: ['prod'], containerInstanceId: [CI_ID] },
    });

    // Undo refuses the stopped task, and sets the drained instance ACTIVE through a session naming that instance alone.
    const steps = undoSteps(bot.meta.name, result.changes, { account: '222222222222', region: 'us-east-1', resourceId: task.id });
    expect(steps.map((s) => [s.step.change.action, s.refusal, s.sessionPolicy?.Statement])).toEqual([
      [
        'ecs:UpdateContainerInstancesState',
        undefined,
        [
          {
            Effect: 'Allow',
            Action: ['ecs:DescribeContainerInstances', 'ecs:UpdateContainerInstancesState'],
            Resource: [CI_ARN],
          },
        ],
      ],
      ['ecs:StopTask', 'irreversible: a stopped task cannot be started again', undefined],
    ]);
  });

  it('refuses to undo a drain recorded without its container instance ids (before undo sessions named them)', () => {
    const change = {
      action: 'ecs:UpdateContainerInstancesState',
      target: CI_ARN,
      description: 'd',
      applied: true,
      undo: { kind: 'container-instance-state', before: { status: 'ACTIVE' }, after: { status: 'DRAINING' } },
    };
    const [step] = undoSteps(bot.meta.name, [change], { account: '222222222222', region: 'us-east-1', resourceId: task.id });
    expect(step!.refusal).toBe(
      'the change record names no clusterName or containerInstanceId for its undo session (recorded before ecs_stop recorded them), ' +
        'and undo is never granted more than the record names; restore by hand to {"status":"ACTIVE"}',
    );
  });

  it('stops a Fargate task alone (no container instance), and leaves the instance when drain_instance=false', async () => {
    const { containerInstanceArn: _ci, ...fargate } = onEc2;
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [{ ...fargate, group: 'service:web' }] })
      .resolves({ tasks: [onEc2] });
    ecs.on(StopTaskCommand).resolves({});
    const first = await bot.run(botContext(bot, { resource: task }));
    expect(first.changes[0]!.description).toContain('its service web will start a replacement');
    const second = await bot.run(botContext(bot, { resource: task, params: { drain_instance: 'false' } }));
    expect(second.changes.map((c) => c.action)).toEqual(['ecs:StopTask']);
    expect(ecs.commandCalls(DescribeContainerInstancesCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(0);
  });

  it('reports already-compliant for a stopped task whose instance is draining; drains it when still active', async () => {
    const stopped = { ...onEc2, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' };
    ecs.on(DescribeTasksCommand).resolves({ tasks: [stopped] });
    ecs.on(DescribeContainerInstancesCommand).resolvesOnce({ containerInstances: [{ ...instance, status: 'DRAINING' }] });
    const done = await bot.run(botContext(bot, { resource: task }));
    expect(done.status).toBe('already-compliant');

    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [instance] });
    ecs.on(UpdateContainerInstancesStateCommand).resolves({ failures: [] });
    const half = await bot.run(botContext(bot, { resource: task }));
    expect(half.changes.map((c) => c.action)).toEqual(['ecs:UpdateContainerInstancesState']);
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  it('in dry run reads the task and its instance, reports both writes and makes neither', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [onEc2] });
    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [instance] });
    const result = await bot.run(botContext(bot, { resource: task, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => c.applied)).toEqual([false, false]);
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)).toHaveLength(0);
  });

  it('fails, reporting the stop made, when draining fails', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [onEc2] });
    ecs.on(StopTaskCommand).resolves({});
    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [instance] });
    ecs.on(UpdateContainerInstancesStateCommand).resolves({ failures: [{ arn: CI_ARN, reason: 'MISSING' }] });
    await expect(bot.run(botContext(bot, { resource: task }))).rejects.toThrow(/draining .* failed: MISSING/);
    ecs.on(DescribeTasksCommand).rejects(awsError('AccessDeniedException', 'no', 403));
    await expect(bot.run(botContext(bot, { resource: task }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('is destructive, and undo sets a drained instance ACTIVE again', async () => {
    expect(bot.meta.destructive).toBe(true);
    const undoer = bot.undoers!['container-instance-state']!;
    ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [{ ...instance, status: 'DRAINING' }] });
    ecs.on(UpdateContainerInstancesStateCommand).resolves({});
    expect(await undoer.read(undoCtx)).toEqual({ status: 'DRAINING' });
    await undoer.write(undoCtx, { status: 'ACTIVE' });
    expect(ecs.commandCalls(UpdateContainerInstancesStateCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      containerInstances: [CI_ID],
      status: 'ACTIVE',
    });
    // An instance ARN of the old format names no cluster: the cluster recorded with the change does.
    const oldFormat = {
      ...undoCtx,
      target: `arn:aws:ecs:us-east-1:222222222222:container-instance/${CI_ID}`,
      change: {
        kind: 'container-instance-state',
        before: { status: 'ACTIVE' },
        after: { status: 'DRAINING' },
        ids: { clusterName: ['prod'], containerInstanceId: [CI_ID] },
      },
    };
    expect(await undoer.read(oldFormat)).toEqual({ status: 'DRAINING' });
    expect(ecs.commandCalls(DescribeContainerInstancesCommand).at(-1)!.args[0].input).toEqual({
      cluster: 'prod',
      containerInstances: [CI_ID],
    });
  });
});
