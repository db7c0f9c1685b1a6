import { mockClient } from 'aws-sdk-client-mock';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import bot from '../../../bots/autoscaling/autoscaling_enable_elb_health_check';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';

const NAME = 'web-asg';
const ARN = `arn:aws:autoscaling:us-east-1:222222222222:autoScalingGroup:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b:autoScalingGroupName/${NAME}`;
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/web/0123456789abcdef';
const resource = { type: 'AWS::AutoScaling::AutoScalingGroup', id: NAME };

function group(overrides: Record<string, unknown> = {}) {
  return {
    AutoScalingGroups: [
      {
        AutoScalingGroupName: NAME,
        AutoScalingGroupARN: ARN,
        MinSize: 1,
        MaxSize: 2,
        DesiredCapacity: 1,
        DefaultCooldown: 300,
        AvailabilityZones: ['us-east-1a'],
        CreatedTime: new Date('2026-01-01T00:00:00Z'),
        HealthCheckType: 'EC2',
        HealthCheckGracePeriod: 0,
        TargetGroupARNs: [TARGET_GROUP],
        ...overrides,
      },
    ],
  };
}

describe('autoscaling_enable_elb_health_check', () => {
  const autoscaling = mockClient(AutoScalingClient);
  beforeEach(() => autoscaling.reset());
  afterAll(() => autoscaling.restore());

  it('turns on ELB health checks for a group behind a target group, with a 300 s grace period by default', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group());
    autoscaling.on(UpdateAutoScalingGroupCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(autoscaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.args[0].input).toEqual({ AutoScalingGroupNames: [NAME] });
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)[0]!.args[0].input).toEqual({
      AutoScalingGroupName: NAME,
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
    });
    expect(result).toEqual({
      status: 'remediated',
      message: `turned on ELB health checks for Auto Scaling group ${NAME} (grace period 0s -> 300s)`,
      changes: [
        {
          action: 'autoscaling:UpdateAutoScalingGroup',
          target: ARN,
          description: `health check type EC2 -> ELB (load balancers: ${TARGET_GROUP}), grace period 0s -> 300s`,
          applied: true,
          undo: {
            kind: 'health-check',
            before: { HealthCheckType: 'EC2', HealthCheckGracePeriod: 0 },
            after: { HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 },
          },
        },
      ],
    });
  });

  it('keeps a longer grace period and other health check types, and counts classic load balancers and ELB traffic sources', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(
      group({
        HealthCheckType: 'EC2,EBS',
        HealthCheckGracePeriod: 900,
        TargetGroupARNs: [],
        LoadBalancerNames: ['classic-web'],
        TrafficSources: [{ Identifier: 'classic-web', Type: 'elb' }],
      }),
    );
    const result = await bot.run(botContext(bot, { resource, params: { grace_period: '600' } }));
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)[0]!.args[0].input).toEqual({
      AutoScalingGroupName: NAME,
      HealthCheckType: 'ELB,EBS',
      HealthCheckGracePeriod: 900,
    });
    expect(result.changes[0]!.description).toBe(
      'health check type EC2,EBS -> ELB,EBS (load balancers: classic-web), grace period 900s kept',
    );
  });

  it('raises a shorter grace period to the one configured', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group({ HealthCheckGracePeriod: 60 }));
    await bot.run(botContext(bot, { resource, params: { grace_period: 120 } }));
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)[0]!.args[0].input).toMatchObject({ HealthCheckGracePeriod: 120 });
  });

  it.each([['ELB'], ['ELB,EBS'], ['EBS,ELB']])('reports already-compliant when the type is %s, whatever the grace period', async (type) => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group({ HealthCheckType: type, HealthCheckGracePeriod: 0 }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `Auto Scaling group ${NAME} already uses ELB health checks (${type})`,
      changes: [],
    });
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('skips a group attached to no load balancer, target group or ELB traffic source', async () => {
    autoscaling
      .on(DescribeAutoScalingGroupsCommand)
      .resolves(
        group({ TargetGroupARNs: [], LoadBalancerNames: [], TrafficSources: [{ Identifier: 'arn:lattice', Type: 'vpc-lattice' }] }),
      );
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'skipped',
      message: `Auto Scaling group ${NAME} is attached to no load balancer or target group: ELB health checks would have nothing to check`,
      changes: [],
    });
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group());
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'autoscaling:UpdateAutoScalingGroup', target: ARN, applied: false }),
    ]);
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('accepts the group ARN as the resource id, and refuses another region’s before any call', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group());
    await bot.run(botContext(bot, { resource: { ...resource, id: ARN } }));
    expect(autoscaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.args[0].input).toEqual({ AutoScalingGroupNames: [NAME] });

    autoscaling.resetHistory();
    await expect(bot.run(botContext(bot, { resource: { ...resource, id: ARN.replace('us-east-1', 'eu-west-1') } }))).rejects.toThrow(
      'is in eu-west-1, but the finding is for us-east-1',
    );
    await expect(
      bot.run(botContext(bot, { resource: { ...resource, id: 'arn:aws:autoscaling:us-east-1:222222222222:launchConfiguration:x' } })),
    ).rejects.toThrow('is not an Auto Scaling group name or group ARN');
    expect(autoscaling.calls()).toHaveLength(0);
  });

  it('fails, writing nothing, when the group does not exist', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow(`Auto Scaling group ${NAME} not found`);
    expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('passes on a refused update (a scaling activity in progress)', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group());
    autoscaling.on(UpdateAutoScalingGroupCommand).rejects(awsError('ScalingActivityInProgress', 'scaling activity in progress', 400));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('scaling activity in progress');
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('defaults to 300 s, reads the string form and rejects what Auto Scaling would', () => {
      expect(parse({}).data).toEqual({ grace_period: 300 });
      expect(parse({ grace_period: '0' }).data).toEqual({ grace_period: 0 });
      for (const bad of ['-1', '7201', '1.5', 'soon']) expect(parse({ grace_period: bad }).success).toBe(false);
    });
  });

  describe('undo', () => {
    const undoer = bot.undoers!['health-check']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };

    it('reads the type and grace period of the group the change names, and writes them back', async () => {
      autoscaling.on(DescribeAutoScalingGroupsCommand).resolves(group({ HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 }));
      expect(await undoer.read(ctx)).toEqual({ HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 });
      await undoer.write(ctx, { HealthCheckType: 'EC2', HealthCheckGracePeriod: 0 });
      expect(autoscaling.commandCalls(UpdateAutoScalingGroupCommand)[0]!.args[0].input).toEqual({
        AutoScalingGroupName: NAME,
        HealthCheckType: 'EC2',
        HealthCheckGracePeriod: 0,
      });
    });
  });
});
