/**
 * Through the real Lambda entry against moto: a resource of a type the Auto
 * Scaling, CloudFront and CloudFormation bots brought in, tagged for exclusion,
 * is left alone (the handler reads its live tags before any bot runs), while an
 * untagged one of the same type is remediated. Seed-format findings name the
 * bot. CodeBuild projects are not here: their tags are read through the tagging
 * API, which moto 5.2.1 does not serve for CodeBuild (and moto serves no
 * CodeBuild UpdateProject to remediate with).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, CreateDistributionCommand, GetDistributionConfigCommand, TagResourceCommand } from '@aws-sdk/client-cloudfront';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler, resetContainer } from '../../../handler';
import { runtimeConfig } from '../../handler/support';
import { describeMoto, memberSession, motoUrl } from '../../support/moto';
import { tempDirForFile } from '../../support/temp-dir';

const MEMBER = '222222222222';
const REGION = 'us-east-1';
const EXCLUDE = [{ Key: 'cloudmend:exclude', Value: 'true' }];
const dir = tempDirForFile('cloudmend-excluded-new-types-');

function seedEvent(type: string, id: string, bot: string) {
  return {
    rule: { name: `test ${bot}`, severity: 'High' },
    entity: { id, type, region: REGION, accountNumber: MEMBER },
    remediation: { actions: [bot] },
  };
}

function asgTemplate(): string {
  const group = (name: string, tags: typeof EXCLUDE) => ({
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    Properties: {
      AutoScalingGroupName: name,
      MinSize: '0',
      MaxSize: '1',
      LaunchConfigurationName: { Ref: 'Lc' },
      VPCZoneIdentifier: [{ Ref: 'Subnet' }],
      TargetGroupARNs: [{ Ref: 'Tg' }],
      HealthCheckType: 'EC2',
      Tags: tags.map((t) => ({ ...t, PropagateAtLaunch: false })),
    },
  });
  return JSON.stringify({
    Resources: {
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' } },
      Tg: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Name: 'web', Port: 80, Protocol: 'HTTP', VpcId: { Ref: 'Vpc' } },
      },
      Lc: { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-12c6146b', InstanceType: 't2.micro' } },
      Excluded: group('excluded-asg', EXCLUDE),
      Plain: group('plain-asg', []),
    },
  });
}

const DISTRIBUTION = {
  Comment: 'site',
  Enabled: true,
  Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
  DefaultCacheBehavior: {
    TargetOriginId: 'site',
    ViewerProtocolPolicy: 'redirect-to-https' as const,
    ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' as const } },
    MinTTL: 0,
    TrustedSigners: { Enabled: false, Quantity: 0 },
  },
};

/**
 * A distribution whose id looks like CloudFront's (E and 13 upper-case letters and digits, as the handler checks):
 * moto draws ids at random from any letter, so its random generator is seeded until one starts with E. Deterministic.
 */
let nextSeed = 1;
async function createDistribution(cloudfront: CloudFrontClient, reference: string): Promise<string> {
  // Each distribution from seeds of its own: a seed used again would draw the same id.
  for (const last = nextSeed + 1000; nextSeed < last; ) {
    const seed = nextSeed++;
    await fetch(`${motoUrl()}/moto-api/seed?a=${seed}`, { method: 'POST' });
    const { Distribution } = await cloudfront.send(
      new CreateDistributionCommand({ DistributionConfig: { ...DISTRIBUTION, CallerReference: `${reference}-${seed}` } }),
    );
    if (Distribution?.Id?.startsWith('E')) return Distribution.Id;
  }
  throw new Error('moto gave no distribution id starting with E');
}

describeMoto('exclusion tag on the Auto Scaling, CloudFront and CloudFormation resource types, through the handler', () => {
  let topic: string;
  let logged: string[];
  beforeEach(async () => {
    const admin = await memberSession(MEMBER, REGION);
    topic = (await admin.client(SNSClient).send(new CreateTopicCommand({ Name: 'stack-events' }))).TopicArn!;
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(
        runtimeConfig({
          enabledBots: [
            'autoscaling_enable_elb_health_check',
            'cloudfront_set_default_root_object',
            'cloudformation_enable_stack_notifications',
          ],
          externalId: 'cloudmend',
          exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
          params: { cloudformation_enable_stack_notifications: { topic_arn: topic } },
        }),
      ),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    const results = await new SNSClient({ region: REGION }).send(new CreateTopicCommand({ Name: 'cloudmend-results' }));
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = results.TopicArn!;
    resetContainer();
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
  });
  // The seeding above must not make the ids of later test files in this worker predictable.
  afterAll(async () => {
    await fetch(`${motoUrl()}/moto-api/seed?a=${Date.now() % 2147483647}`, { method: 'POST' });
  });

  const lastResult = () =>
    logged
      .flatMap((l) => {
        const line = JSON.parse(l) as { result?: { status: string; errorName?: string; message: string } };
        return line.result ? [line.result] : [];
      })
      .at(-1);

  it('Auto Scaling group: the tagged one keeps EC2 health checks, the untagged one gets ELB', async () => {
    const admin = await memberSession(MEMBER, REGION);
    await admin.client(CloudFormationClient).send(new CreateStackCommand({ StackName: 'asg-seed', TemplateBody: asgTemplate() }));
    const autoscaling = admin.client(AutoScalingClient);
    const type = async (name: string) =>
      (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!
        .HealthCheckType;

    expect(await handler(seedEvent('AutoScalingGroup', 'excluded-asg', 'autoscaling_enable_elb_health_check'))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(lastResult()).toMatchObject({ status: 'skipped', errorName: 'resource-excluded' });
    expect(await type('excluded-asg')).toBe('EC2');

    expect(await handler(seedEvent('AutoScalingGroup', 'plain-asg', 'autoscaling_enable_elb_health_check'))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
    expect(await type('plain-asg')).toBe('ELB');
  });

  it('CloudFront distribution: the tagged one keeps no root object, the untagged one gets index.html', async () => {
    const cloudfront = (await memberSession(MEMBER, 'us-east-1')).client(CloudFrontClient);
    const excluded = await createDistribution(cloudfront, 'excluded');
    const plain = await createDistribution(cloudfront, 'plain');
    // moto files a distribution's own tags under an ARN without the empty Region field; the lookup asks for the real ARN.
    await cloudfront.send(
      new TagResourceCommand({ Resource: `arn:aws:cloudfront::${MEMBER}:distribution/${excluded}`, Tags: { Items: EXCLUDE } }),
    );
    const root = async (id: string) =>
      (await cloudfront.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig!.DefaultRootObject;

    expect(await handler(seedEvent('CloudFront', excluded, 'cloudfront_set_default_root_object'))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(lastResult()).toMatchObject({ status: 'skipped', errorName: 'resource-excluded' });
    expect(await root(excluded)).toBe('');

    expect(await handler(seedEvent('CloudFront', plain, 'cloudfront_set_default_root_object'))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
    expect(await root(plain)).toBe('index.html');
  });

  it('CloudFormation stack: the tagged one is left alone, the untagged one is updated', async () => {
    const cloudformation = (await memberSession(MEMBER, REGION)).client(CloudFormationClient);
    const template = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
    await cloudformation.send(new CreateStackCommand({ StackName: 'excluded-stack', TemplateBody: template, Tags: EXCLUDE }));
    await cloudformation.send(new CreateStackCommand({ StackName: 'plain-stack', TemplateBody: template }));

    expect(await handler(seedEvent('CloudFormation', 'excluded-stack', 'cloudformation_enable_stack_notifications'))).toEqual({
      results: { skipped: 1 },
      dryRun: false,
    });
    expect(lastResult()).toMatchObject({ status: 'skipped', errorName: 'resource-excluded' });

    // moto keeps no NotificationARNs from UpdateStack: the result is what shows the update was made.
    expect(await handler(seedEvent('CloudFormation', 'plain-stack', 'cloudformation_enable_stack_notifications'))).toEqual({
      results: { remediated: 1 },
      dryRun: false,
    });
  });
});
