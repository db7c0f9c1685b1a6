import { mockClient } from 'aws-sdk-client-mock';
import { DescribeInstancesCommand, EC2Client, StopInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_stop_instance';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };

function withInstance(instance: Partial<Instance>) {
  return { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', ...instance }] }] };
}

describe('ec2_stop_instance', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('stops a running instance', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'running' } }));
    ec2.on(StopInstancesCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0123456789abcdef0'] });
    expect(ec2.commandCalls(StopInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0123456789abcdef0'] });
    expect(result).toEqual({
      status: 'remediated',
      message: 'stopped i-0123456789abcdef0',
      changes: [
        {
          action: 'ec2:StopInstances',
          target: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0',
          description: 'instance running -> stopped',
          applied: true,
          undo: { kind: 'instance-state', before: { State: 'running' }, after: { State: 'stopped' } },
        },
      ],
    });
  });

  it('warns in its message when an Auto Scaling group may replace the stopped instance', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves(withInstance({ State: { Name: 'running' }, Tags: [{ Key: 'aws:autoscaling:groupName', Value: 'web-asg' }] }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.message).toBe('stopped i-0123456789abcdef0 (it belongs to Auto Scaling group web-asg, which may replace it)');
  });

  it.each(['stopped', 'stopping'] as const)('reports a %s instance as already-compliant and writes nothing', async (state) => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: state } }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: `instance i-0123456789abcdef0 is already ${state}`, changes: [] });
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });

  it.each(['terminated', 'shutting-down'] as const)('skips a %s instance', async (state) => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: state } }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain(state);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });

  it('in dry run reads the state, reports the stop and does not make it', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'running' } }));
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'ec2:StopInstances', applied: false })]);
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });

  it('rejects a finding whose resource is not an instance id, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Volume', id: 'vol-0123456789abcdef0' } }))).rejects.toThrow(
      'expected an EC2 instance id (i-0123456789abcdef0) as the finding\'s resource, got AWS::EC2::Volume "vol-0123456789abcdef0"',
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('fails clearly when the instance does not exist', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('instance i-0123456789abcdef0 not found');
  });

  it('takes no params and rejects unknown ones', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ force: 'true' }).success).toBe(false);
  });
});
