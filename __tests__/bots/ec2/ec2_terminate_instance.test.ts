import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  TerminateInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_terminate_instance';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };

function withInstance(instance: Partial<Instance>) {
  return { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', ...instance }] }] };
}

describe('ec2_terminate_instance', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('is flagged destructive, so it only runs with an explicit opt-in', () => {
    expect(bot.meta.destructive).toBe(true);
  });

  it('checks termination protection, then terminates an unprotected instance', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'running' } }));
    ec2.on(DescribeInstanceAttributeCommand).resolves({ DisableApiTermination: { Value: false } });
    ec2.on(TerminateInstancesCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeInstanceAttributeCommand)[0]!.args[0].input).toEqual({
      InstanceId: 'i-0123456789abcdef0',
      Attribute: 'disableApiTermination',
    });
    expect(ec2.commandCalls(TerminateInstancesCommand)[0]!.args[0].input).toEqual({ InstanceIds: ['i-0123456789abcdef0'] });
    expect(result).toEqual({
      status: 'remediated',
      message: 'terminated i-0123456789abcdef0',
      changes: [
        {
          action: 'ec2:TerminateInstances',
          target: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0',
          description: 'instance running -> terminated',
          applied: true,
          // Recorded so undo can say why it refuses: bot metadata marks termination irreversible.
          undo: { kind: 'instance-termination', before: { state: 'running' }, after: null },
        },
      ],
    });
  });

  it('terminates a stopped instance too', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'stopped' } }));
    ec2.on(DescribeInstanceAttributeCommand).resolves({ DisableApiTermination: { Value: false } });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('remediated');
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
  });

  it('refuses when termination protection is on, naming it, and never touches the protection', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'running' } }));
    ec2.on(DescribeInstanceAttributeCommand).resolves({ DisableApiTermination: { Value: true } });

    const result = await bot.run(botContext(bot, { resource }));

    expect(result.status).toBe('skipped');
    expect(result.message).toContain('termination protection (DisableApiTermination)');
    expect(result.changes).toEqual([]);
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)).toHaveLength(0);
  });

  it.each(['terminated', 'shutting-down'] as const)('reports a %s instance as already-compliant and writes nothing', async (state) => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: state } }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: `instance i-0123456789abcdef0 is already ${state}`, changes: [] });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });

  it('names the Auto Scaling group that will replace the instance', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves(withInstance({ State: { Name: 'running' }, Tags: [{ Key: 'aws:autoscaling:groupName', Value: 'web-asg' }] }));
    ec2.on(DescribeInstanceAttributeCommand).resolves({ DisableApiTermination: { Value: false } });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.message).toBe('terminated i-0123456789abcdef0 (Auto Scaling group web-asg will launch a replacement)');
  });

  it('in dry run reads state and protection, reports the termination and does not make it', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'running' } }));
    ec2.on(DescribeInstanceAttributeCommand).resolves({ DisableApiTermination: { Value: false } });
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'ec2:TerminateInstances', applied: false })]);
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });

  it('rejects a finding whose resource is not an instance id', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Instance', id: 'web-server' } }))).rejects.toThrow(
      'expected an EC2 instance id',
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('takes no params: there is deliberately no override for termination protection', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ override_protection: 'true' }).success).toBe(false);
  });
});
