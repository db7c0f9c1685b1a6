import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { IAMClient, ListRoleTagsCommand, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { GetBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DescribeKeyPairsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, ListTagsForResourceCommand } from '@aws-sdk/client-cloudfront';
import { createClientFactory } from '../../handler/aws/client-factory';
import { MemberCredentialsCache } from '../../handler/credentials';
import type { PlannedRun } from '../../handler/plan';
import { lookUpResourceTags, needsTagLookup, tagLookupTarget, type TagLookupDeps } from '../../handler/resource-tags';
import type { SourcedFinding } from '../../handler/sources/types';
import { testFinding, type TestResource } from '../support/bot-context';
import { recordingClientFactory } from '../support/recording';
import { awsError } from '../support/aws-error';

const sts = mockClient(STSClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const iam = mockClient(IAMClient);
afterAll(() => {
  sts.restore();
  tagging.restore();
  iam.restore();
});

function finding(resource: TestResource, overrides: Partial<SourcedFinding> = {}): SourcedFinding {
  return {
    source: 'config',
    id: 'f-1',
    rule: 'r',
    severity: 'unknown',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'eu-west-1',
    resource: testFinding(resource).resource,
    requestedActions: [],
    raw: {},
    notes: [],
    ...overrides,
  };
}

const instance = (id = 'i-0123456789abcdef0') => finding({ type: 'AWS::EC2::Instance', id });
const bucket = (id = 'data-bucket', extra: Partial<TestResource> = {}) => finding({ type: 'AWS::S3::Bucket', id, ...extra });

/**
 * The handler's credential cache, and clients that record what the lookup sends
 * (refusing anything its narrowed permissions do not declare), for the
 * after-run check in __tests__/recorded-calls/.
 */
function recordedDeps(cache: MemberCredentialsCache): TagLookupDeps {
  let lookup: PlannedRun | undefined;
  return {
    credentials: {
      forRun: (run) => {
        lookup = run;
        return cache.forRun(run);
      },
    },
    clientFactory: (options) => {
      const { finding, bot } = lookup!;
      const scope = { partition: finding.partition, account: finding.account, region: options.region, resourceId: finding.resource.id };
      return recordingClientFactory(bot.meta, createClientFactory(options), { scope, dryRun: false });
    },
  };
}

let deps: TagLookupDeps;
beforeEach(() => {
  sts.reset();
  tagging.reset();
  iam.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIALOOKUP', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 900_000) },
  });
  deps = recordedDeps(
    new MemberCredentialsCache({
      sts: async () => new STSClient({ region: 'eu-west-1' }),
      config: { memberRoleName: 'CloudmendRemediation', externalId: 'ext-123' },
    }),
  );
});

const rateExceeded = () => awsError('ThrottlingException', 'Rate exceeded', 400);

describe('needsTagLookup', () => {
  it("is needed whatever tags the finding carries: they are a copy from the source's last scan", () => {
    expect(needsTagLookup(bucket())).toBe(true);
    expect(needsTagLookup(bucket('b', { tags: {} }))).toBe(true);
    expect(needsTagLookup(bucket('b', { tags: { team: 'data' } }))).toBe(true);
  });

  it('is never needed for the account itself, which has no tags', () => {
    expect(needsTagLookup(finding({ type: 'AWS::::Account', id: '222222222222' }))).toBe(false);
  });
});

describe('tagLookupTarget', () => {
  it.each([
    [{ type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0'],
    [
      { type: 'AWS::EC2::SecurityGroup', id: 'sg-0123456789abcdef0' },
      'arn:aws:ec2:eu-west-1:222222222222:security-group/sg-0123456789abcdef0',
    ],
    [{ type: 'AWS::EC2::VPC', id: 'vpc-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-0123456789abcdef0'],
    [{ type: 'AWS::RDS::DBInstance', id: 'orders-db' }, 'arn:aws:rds:eu-west-1:222222222222:db:orders-db'],
    [{ type: 'AWS::CloudTrail::Trail', id: 'org-trail' }, 'arn:aws:cloudtrail:eu-west-1:222222222222:trail/org-trail'],
    [{ type: 'AWS::Lambda::Function', id: 'payments' }, 'arn:aws:lambda:eu-west-1:222222222222:function:payments'],
    [{ type: 'AWS::EC2::Image', id: 'ami-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0'],
    [{ type: 'AWS::EC2::Snapshot', id: 'snap-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0'],
    [{ type: 'AWS::EC2::Subnet', id: 'subnet-0123456789abcdef0' }, 'arn:aws:ec2:eu-west-1:222222222222:subnet/subnet-0123456789abcdef0'],
    [{ type: 'AWS::RDS::DBCluster', id: 'orders' }, 'arn:aws:rds:eu-west-1:222222222222:cluster:orders'],
    [
      { type: 'AWS::EC2::TransitGateway', id: 'tgw-0123456789abcdef0' },
      'arn:aws:ec2:eu-west-1:222222222222:transit-gateway/tgw-0123456789abcdef0',
    ],
    [{ type: 'AWS::RDS::DBSnapshot', id: 'orders-snap' }, 'arn:aws:rds:eu-west-1:222222222222:snapshot:orders-snap'],
    [{ type: 'AWS::RDS::DBClusterSnapshot', id: 'orders-snap' }, 'arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:orders-snap'],
    [
      { type: 'AWS::ECS::Task', id: 'web/0123456789abcdef0123456789abcdef' },
      'arn:aws:ecs:eu-west-1:222222222222:task/web/0123456789abcdef0123456789abcdef',
    ],
    [{ type: 'AWS::ECR::Repository', id: 'team/app' }, 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app'],
    [{ type: 'AWS::Redshift::Cluster', id: 'warehouse' }, 'arn:aws:redshift:eu-west-1:222222222222:cluster:warehouse'],
    [{ type: 'AWS::SNS::Topic', id: 'alerts' }, 'arn:aws:sns:eu-west-1:222222222222:alerts'],
    [{ type: 'AWS::SQS::Queue', id: 'jobs.fifo' }, 'arn:aws:sqs:eu-west-1:222222222222:jobs.fifo'],
    [{ type: 'AWS::CodeBuild::Project', id: 'build' }, 'arn:aws:codebuild:eu-west-1:222222222222:project/build'],
  ])('derives the ARN of %j from type, id, partition, region and account', (resource, arn) => {
    expect(tagLookupTarget(finding(resource))).toEqual({ via: 'tag:GetResources', arn, region: 'eu-west-1' });
  });

  it("derives in the partition and the resource's own region when the finding names them", () => {
    const f = finding({ type: 'AWS::EC2::Instance', id: 'i-1', region: 'cn-north-1' }, { partition: 'aws-cn', region: 'cn-northwest-1' });
    expect(tagLookupTarget(f)).toEqual({
      via: 'tag:GetResources',
      arn: 'arn:aws-cn:ec2:cn-north-1:222222222222:instance/i-1',
      region: 'cn-north-1',
    });
  });

  it("uses the ARN the finding gives, asking in the region of that ARN (a trail's home region)", () => {
    const trail = finding({
      type: 'AWS::CloudTrail::Trail',
      id: 'org-trail',
      arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail',
    });
    expect(tagLookupTarget(trail)).toEqual({
      via: 'tag:GetResources',
      arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail',
      region: 'us-east-1',
    });
  });

  it.each([
    [
      { type: 'AWS::S3::Bucket', id: 'data-bucket' },
      { via: 's3:GetBucketTagging', bucket: 'data-bucket', region: 'eu-west-1' },
    ],
    [
      { type: 'AWS::IAM::Role', id: 'deploy' },
      { via: 'iam:ListRoleTags', roleName: 'deploy', region: 'eu-west-1' },
    ],
    [
      { type: 'AWS::KMS::Key', id: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      { via: 'kms:ListResourceTags', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', region: 'eu-west-1' },
    ],
    [
      { type: 'AWS::EC2::KeyPair', id: 'deploy-key' },
      { via: 'ec2:DescribeKeyPairs', keyName: 'deploy-key', region: 'eu-west-1' },
    ],
    [
      { type: 'AWS::AutoScaling::AutoScalingGroup', id: 'web-asg' },
      { via: 'autoscaling:DescribeAutoScalingGroups', groupName: 'web-asg', region: 'eu-west-1' },
    ],
    [
      { type: 'AWS::CloudFormation::Stack', id: 'network' },
      { via: 'cloudformation:DescribeStacks', stackName: 'network', region: 'eu-west-1' },
    ],
    [
      { type: 'AWS::CloudFront::Distribution', id: 'E2QWRUHAPOMQZL' },
      { via: 'cloudfront:ListTagsForResource', arn: 'arn:aws:cloudfront::222222222222:distribution/E2QWRUHAPOMQZL', region: 'us-east-1' },
    ],
  ])(
    'reads %j with its own service, which answers at once for every one (the tagging API lags or does not cover it)',
    (resource, target) => {
      expect(tagLookupTarget(finding(resource))).toEqual(target);
    },
  );

  it('reads IAM users from IAM (the tagging API does not cover them), by name, also when named by ARN with a path', () => {
    expect(tagLookupTarget(finding({ type: 'AWS::IAM::User', id: 'alice' }))).toEqual({
      via: 'iam:ListUserTags',
      userName: 'alice',
      region: 'eu-west-1',
    });
    expect(tagLookupTarget(finding({ type: 'AWS::IAM::User', id: 'arn:aws:iam::222222222222:user/eng/alice' }))).toMatchObject({
      userName: 'alice',
    });
  });

  it('says why when there is no way to look the tags up', () => {
    expect(tagLookupTarget(finding({ type: 'AWS::CloudWatch::Alarm', id: 'root-login' }))).toEqual({
      via: 'none',
      reason: 'cloudmend has no way to read the tags of AWS::CloudWatch::Alarm (the finding gives no ARN, and none can be derived)',
    });
    expect(tagLookupTarget(finding({ type: 'AWS::IAM::User', id: 'arn:aws:iam::999999999999:user/mallory' }))).toMatchObject({
      via: 'none',
    });
  });
});

describe('lookUpResourceTags', () => {
  it("reads an instance's tags with tag:GetResources on exactly the resource ARN, as the member role narrowed to that one action", async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        {
          ResourceARN: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0',
          Tags: [
            { Key: 'cloudmend:exclude', Value: 'true' },
            { Key: 'team', Value: 'data' },
          ],
        },
      ],
    });

    const lookup = await lookUpResourceTags(instance(), deps);

    expect(lookup).toEqual({
      status: 'found',
      tags: { 'cloudmend:exclude': 'true', team: 'data' },
      target: { via: 'tag:GetResources', arn: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0', region: 'eu-west-1' },
    });
    expect(tagging.commandCalls(GetResourcesCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceARNList: ['arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0'] },
    ]);
    const assume = sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input);
    expect(assume).toEqual([
      {
        RoleArn: 'arn:aws:iam::222222222222:role/CloudmendRemediation',
        RoleSessionName: 'cloudmend-tag-lookup',
        ExternalId: 'ext-123',
        DurationSeconds: 900,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['tag:GetResources'], Resource: ['*'] }] }),
      },
    ]);
  });

  it("reads an IAM user's tags with iam:ListUserTags, the session policy naming only that user", async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'cloudmend:exclude', Value: '' }], IsTruncated: false });

    const lookup = await lookUpResourceTags(finding({ type: 'AWS::IAM::User', id: 'alice' }), deps);

    expect(lookup).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': '' } });
    expect(iam.commandCalls(ListUserTagsCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }]);
    expect(JSON.parse(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iam:ListUserTags'],
          Resource: ['arn:aws:iam::222222222222:user/*/alice', 'arn:aws:iam::222222222222:user/alice'],
        },
      ],
    });
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it("takes only the mapping of exactly the requested ARN: another resource's tags never decide", async () => {
    tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        {
          ResourceARN: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0ffffffffffffffff',
          Tags: [{ Key: 'cloudmend:exclude', Value: 'true' }],
        },
      ],
    });
    expect(await lookUpResourceTags(instance(), deps)).toEqual({
      status: 'not-found',
      target: { via: 'tag:GetResources', arn: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0', region: 'eu-west-1' },
    });
  });

  it('finds a resource with no tags, or none at all, and a missing IAM user, as not excluded', async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce({
        ResourceTagMappingList: [{ ResourceARN: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0', Tags: [] }],
      })
      .resolves({ ResourceTagMappingList: [] });
    iam.on(ListUserTagsCommand).rejects(awsError('NoSuchEntityException', 'The user with name ghost cannot be found.', 404));
    expect(await lookUpResourceTags(instance(), deps)).toMatchObject({ status: 'found', tags: {} });
    expect(await lookUpResourceTags(instance(), deps)).toMatchObject({ status: 'not-found' });
    expect(await lookUpResourceTags(finding({ type: 'AWS::IAM::User', id: 'ghost' }), deps)).toMatchObject({ status: 'not-found' });
  });

  it('makes no call when the resource is the account', async () => {
    expect(await lookUpResourceTags(finding({ type: 'AWS::::Account', id: '222222222222' }), deps)).toEqual({ status: 'not-needed' });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  it('reuses the lookup credentials for the account: tag:GetResources is not resource-scoped', async () => {
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
    await lookUpResourceTags(instance('i-0000000000000000a'), deps);
    await lookUpResourceTags(instance('i-0000000000000000b'), deps);
    await lookUpResourceTags(instance('i-0000000000000000c'), deps);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(3);
  });

  it('reports AccessDenied as a denied, permanent failure (a member role deployed before the lookup)', async () => {
    tagging.on(GetResourcesCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: tag:GetResources', 400));
    expect(await lookUpResourceTags(instance(), deps)).toEqual({
      status: 'failed',
      denied: true,
      error: { name: 'AccessDeniedException', message: 'User is not authorized to perform: tag:GetResources', retryable: false },
      target: { via: 'tag:GetResources', arn: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0', region: 'eu-west-1' },
    });
  });

  it('reports throttling as a retryable failure', async () => {
    tagging.on(GetResourcesCommand).rejects(rateExceeded());
    expect(await lookUpResourceTags(instance(), deps)).toMatchObject({
      status: 'failed',
      denied: false,
      error: { name: 'ThrottlingException', retryable: true },
    });
  });

  it('reports a member role that cannot be assumed as that, not as a missing lookup permission', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole', 403));
    const lookup = await lookUpResourceTags(instance(), deps);
    expect(lookup).toMatchObject({ status: 'failed', denied: false, error: { name: 'AssumeRoleDeniedError', retryable: false } });
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
  });

  describe("with the resource's own API", () => {
    const s3 = mockClient(S3Client);
    const kms = mockClient(KMSClient);
    const ec2 = mockClient(EC2Client);
    const autoscaling = mockClient(AutoScalingClient);
    const cloudformation = mockClient(CloudFormationClient);
    const cloudfront = mockClient(CloudFrontClient);
    const mocks = [s3, kms, ec2, autoscaling, cloudformation, cloudfront];
    afterAll(() => {
      for (const mock of mocks) mock.restore();
    });
    beforeEach(() => {
      for (const mock of mocks) mock.reset();
    });
    const policyOf = () => JSON.parse(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.Policy!);

    it("reads a bucket's live tags with s3:GetBucketTagging, the session policy naming only that bucket", async () => {
      s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: 'cloudmend:exclude', Value: 'true' }] });
      expect(await lookUpResourceTags(bucket('data-bucket', { tags: {} }), deps)).toEqual({
        status: 'found',
        tags: { 'cloudmend:exclude': 'true' },
        target: { via: 's3:GetBucketTagging', bucket: 'data-bucket', region: 'eu-west-1' },
      });
      expect(s3.commandCalls(GetBucketTaggingCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'data-bucket' }]);
      expect(policyOf()).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketTagging'], Resource: ['arn:aws:s3:::data-bucket'] }],
      });
      expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(0);
    });

    it('reads a bucket without tags (NoSuchTagSet) as found with none, and a missing bucket as not found', async () => {
      s3.on(GetBucketTaggingCommand, { Bucket: 'bare' }).rejects(awsError('NoSuchTagSet', 'The TagSet does not exist', 404));
      s3.on(GetBucketTaggingCommand, { Bucket: 'gone' }).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));
      expect(await lookUpResourceTags(bucket('bare'), deps)).toMatchObject({ status: 'found', tags: {} });
      expect(await lookUpResourceTags(bucket('gone'), deps)).toMatchObject({ status: 'not-found' });
    });

    it("reads a role's tags with iam:ListRoleTags, the session policy naming only that role", async () => {
      iam.on(ListRoleTagsCommand).resolves({ Tags: [{ Key: 'cloudmend:exclude', Value: '' }], IsTruncated: false });
      expect(await lookUpResourceTags(finding({ type: 'AWS::IAM::Role', id: 'deploy' }), deps)).toMatchObject({
        status: 'found',
        tags: { 'cloudmend:exclude': '' },
      });
      expect(iam.commandCalls(ListRoleTagsCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: 'deploy' }]);
      expect(policyOf().Statement).toEqual([
        {
          Effect: 'Allow',
          Action: ['iam:ListRoleTags'],
          Resource: ['arn:aws:iam::222222222222:role/*/deploy', 'arn:aws:iam::222222222222:role/deploy'],
        },
      ]);
    });

    it("reads a key pair's tags from EC2 by name (the tagging API knows key pairs by id); a missing one is not found", async () => {
      ec2
        .on(DescribeKeyPairsCommand)
        .resolvesOnce({
          KeyPairs: [{ KeyName: 'deploy-key', KeyPairId: 'key-0123456789abcdef0', Tags: [{ Key: 'cloudmend:exclude', Value: 'true' }] }],
        })
        .rejects(awsError('InvalidKeyPair.NotFound', "The key pair 'deploy-key' does not exist", 400));
      const pair = finding({ type: 'AWS::EC2::KeyPair', id: 'deploy-key' });
      expect(await lookUpResourceTags(pair, deps)).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': 'true' } });
      expect(await lookUpResourceTags(pair, deps)).toMatchObject({ status: 'not-found' });
      expect(ec2.commandCalls(DescribeKeyPairsCommand)[0]!.args[0].input).toEqual({ KeyNames: ['deploy-key'] });
      expect(policyOf().Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: ['ec2:DescribeKeyPairs'], Resource: ['*'] }),
      ]);
    });

    it("reads an Auto Scaling group's tags with the group itself; a group that is not there is not found", async () => {
      autoscaling
        .on(DescribeAutoScalingGroupsCommand)
        .resolvesOnce({
          AutoScalingGroups: [
            {
              AutoScalingGroupName: 'web-asg',
              Tags: [{ Key: 'team', Value: 'web' }],
              MinSize: 1,
              MaxSize: 2,
              DesiredCapacity: 1,
              DefaultCooldown: 300,
              AvailabilityZones: ['eu-west-1a'],
              HealthCheckType: 'EC2',
              CreatedTime: new Date(),
            },
          ],
        })
        .resolves({ AutoScalingGroups: [] });
      const group = finding({ type: 'AWS::AutoScaling::AutoScalingGroup', id: 'web-asg' });
      expect(await lookUpResourceTags(group, deps)).toMatchObject({ status: 'found', tags: { team: 'web' } });
      expect(await lookUpResourceTags(group, deps)).toMatchObject({ status: 'not-found' });
      expect(autoscaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.args[0].input).toEqual({ AutoScalingGroupNames: ['web-asg'] });
    });

    it("reads a stack's tags with DescribeStacks on that stack's name only; a stack that does not exist is not found", async () => {
      cloudformation
        .on(DescribeStacksCommand)
        .resolvesOnce({
          Stacks: [
            {
              StackName: 'network',
              StackStatus: 'CREATE_COMPLETE',
              CreationTime: new Date(),
              Tags: [{ Key: 'cloudmend:exclude', Value: '1' }],
            },
          ],
        })
        .rejects(awsError('ValidationError', 'Stack with id network does not exist', 400));
      const stack = finding({ type: 'AWS::CloudFormation::Stack', id: 'network' });
      expect(await lookUpResourceTags(stack, deps)).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': '1' } });
      expect(await lookUpResourceTags(stack, deps)).toMatchObject({ status: 'not-found' });
      expect(cloudformation.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: 'network' });
      expect(policyOf().Statement).toEqual([
        expect.objectContaining({
          Action: ['cloudformation:DescribeStacks'],
          Resource: ['arn:aws:cloudformation:eu-west-1:222222222222:stack/network/*'],
        }),
      ]);
    });

    it("reads a distribution's tags from CloudFront in us-east-1, whatever the finding's region", async () => {
      cloudfront.on(ListTagsForResourceCommand).resolves({ Tags: { Items: [{ Key: 'cloudmend:exclude', Value: 'true' }] } });
      const distribution = finding({ type: 'AWS::CloudFront::Distribution', id: 'E2QWRUHAPOMQZL' });
      expect(await lookUpResourceTags(distribution, deps)).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': 'true' } });
      const call = cloudfront.commandCalls(ListTagsForResourceCommand)[0]!;
      expect(call.args[0].input).toEqual({ Resource: 'arn:aws:cloudfront::222222222222:distribution/E2QWRUHAPOMQZL' });
      expect(await call.thisValue.config.region()).toBe('us-east-1');
      expect(policyOf().Statement).toEqual([
        {
          Effect: 'Allow',
          Action: ['cloudfront:ListTagsForResource'],
          Resource: ['arn:aws:cloudfront::222222222222:distribution/E2QWRUHAPOMQZL'],
        },
      ]);
    });

    it("reads a KMS key's tags with kms:ListResourceTags, the session policy naming only that key; a missing key is not found", async () => {
      const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
      kms
        .on(ListResourceTagsCommand)
        .resolvesOnce({ Tags: [{ TagKey: 'cloudmend:exclude', TagValue: 'yes' }], Truncated: false })
        .rejects(awsError('NotFoundException', `Key '${keyId}' does not exist`, 400));
      const key = finding({ type: 'AWS::KMS::Key', id: keyId });
      expect(await lookUpResourceTags(key, deps)).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': 'yes' } });
      expect(await lookUpResourceTags(key, deps)).toMatchObject({ status: 'not-found' });
      expect(kms.commandCalls(ListResourceTagsCommand)[0]!.args[0].input).toEqual({ KeyId: keyId });
      expect(policyOf().Statement).toEqual([
        { Effect: 'Allow', Action: ['kms:ListResourceTags'], Resource: [`arn:aws:kms:eu-west-1:222222222222:key/${keyId}`] },
      ]);
    });
  });
});
