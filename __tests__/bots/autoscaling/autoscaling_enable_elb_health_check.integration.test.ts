/**
 * Against moto: a group behind a target group (both seeded through a moto
 * CloudFormation stack: the ELBv2 client is not installed) gets ELB health
 * checks, then undo puts EC2 checks and the old grace period back.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import bot from '../../../bots/autoscaling/autoscaling_enable_elb_health_check';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';

const ACCOUNT = '222222222222';
const REGION = 'us-east-1';

function template(withTargetGroup: boolean): string {
  return JSON.stringify({
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Subnet: {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' },
      },
      Tg: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Name: 'web', Port: 80, Protocol: 'HTTP', VpcId: { Ref: 'Vpc' } },
      },
      Lc: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-12c6146b', InstanceType: 't2.micro' } },
      Asg: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Properties: {
          AutoScalingGroupName: withTargetGroup ? 'web-asg' : 'batch-asg',
          MinSize: '0',
          MaxSize: '1',
          LaunchConfigurationName: { Ref: 'Lc' },
          VPCZoneIdentifier: [{ Ref: 'Subnet' }],
          ...(withTargetGroup ? { TargetGroupARNs: [{ Ref: 'Tg' }] } : {}),
          HealthCheckType: 'EC2',
          HealthCheckGracePeriod: 60,
        },
      },
    },
  });
}

describeMoto('autoscaling_enable_elb_health_check against moto', () => {
  async function seed(withTargetGroup: boolean) {
    const admin = await memberSession(ACCOUNT, REGION);
    await admin
      .client(CloudFormationClient)
      .send(new CreateStackCommand({ StackName: 'asg-seed', TemplateBody: template(withTargetGroup) }));
    return admin.client(AutoScalingClient);
  }
  const session = (name: string) =>
    memberSession(ACCOUNT, REGION, sessionPolicyFor(bot.meta, { partition: 'aws', account: ACCOUNT, region: REGION, resourceId: name }));
  const read = async (autoscaling: AutoScalingClient, name: string) => {
    const group = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!;
    return { HealthCheckType: group.HealthCheckType, HealthCheckGracePeriod: group.HealthCheckGracePeriod };
  };

  it('turns on ELB health checks of a group behind a target group, reports already-compliant after, and undo restores it', async () => {
    const autoscaling = await seed(true);
    const before = await read(autoscaling, 'web-asg');
    expect(before).toEqual({ HealthCheckType: 'EC2', HealthCheckGracePeriod: 60 });
    const resource = { type: 'AWS::AutoScaling::AutoScalingGroup', id: 'web-asg' };
    const { client } = await session('web-asg');

    const first = await bot.run(botContext(bot, { resource, client }));
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toMatch(
      /^arn:aws:autoscaling:us-east-1:222222222222:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName\/web-asg$/,
    );
    expect(await read(autoscaling, 'web-asg')).toEqual({ HealthCheckType: 'ELB', HealthCheckGracePeriod: 300 });

    expect((await bot.run(botContext(bot, { resource, client }))).status).toBe('already-compliant');

    const undone = await undoResult(bot.meta.name, first, { account: ACCOUNT, region: REGION, resourceId: 'web-asg' });
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    expect(await read(autoscaling, 'web-asg')).toEqual(before);
  });

  it('skips a group attached to no load balancer, leaving it as it is', async () => {
    const autoscaling = await seed(false);
    const { client } = await session('batch-asg');
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::AutoScaling::AutoScalingGroup', id: 'batch-asg' }, client }));
    expect(result.status).toBe('skipped');
    expect(await read(autoscaling, 'batch-asg')).toEqual({ HealthCheckType: 'EC2', HealthCheckGracePeriod: 60 });
  });
});
