import type { Finding } from '../../bots/types';
import { validateFindingIdentity } from '../../handler/identity';
import { planRemediation } from '../../handler/plan';
import { parseEvent } from '../../handler/sources';
import { fixture } from '../fixtures/load';
import { testFinding, type TestResource } from '../support/bot-context';
import { runtimeConfig, testRegistry } from './support';

const aws = { partition: 'aws' };

function finding(resource: TestResource, overrides: Partial<Finding> = {}): Finding {
  return testFinding(resource, { account: '222222222222', region: 'eu-west-1', ...overrides });
}

describe('validateFindingIdentity', () => {
  it.each<[string, Finding]>([
    ['a bucket and its ARN', finding({ type: 'AWS::S3::Bucket', id: 'data-bucket', arn: 'arn:aws:s3:::data-bucket' })],
    ['a legacy bucket name with capitals', finding({ type: 'AWS::S3::Bucket', id: 'Legacy_Bucket' })],
    [
      'an instance and its ARN',
      finding({
        type: 'AWS::EC2::Instance',
        id: 'i-0a1b2c3d4e5f67890',
        arn: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0a1b2c3d4e5f67890',
      }),
    ],
    ['a short instance id', finding({ type: 'AWS::EC2::Instance', id: 'i-0a1b2c3d' })],
    ['a user with a path in its ARN', finding({ type: 'AWS::IAM::User', id: 'alice', arn: 'arn:aws:iam::222222222222:user/dev/alice' })],
    [
      'a trail whose home region is another than the finding',
      finding({
        type: 'AWS::CloudTrail::Trail',
        id: 'org-trail',
        region: 'us-east-1',
        arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail',
      }),
    ],
    ['the account itself', finding({ type: 'AWS::::Account', id: '222222222222' })],
    ['a key id', finding({ type: 'AWS::KMS::Key', id: '1234abcd-12ab-34cd-56ef-1234567890ab' })],
    ['a type cloudmend does not act on', finding({ type: 'CloudGuard::ElasticSearchDomain', id: 'search-logs' })],
    [
      'an Auto Scaling group named by its ARN (with the uuid the ARN carries)',
      finding({
        type: 'AWS::AutoScaling::AutoScalingGroup',
        id: 'web asg-1',
        arn: 'arn:aws:autoscaling:eu-west-1:222222222222:autoScalingGroup:8e5f1d6c-1111-2222-3333-444455556666:autoScalingGroupName/web asg-1',
      }),
    ],
    [
      'a stack named by its ARN',
      finding({
        type: 'AWS::CloudFormation::Stack',
        id: 'network',
        arn: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/network/8e5f1d6c-1111-2222-3333-444455556666',
      }),
    ],
    [
      'a distribution (global: no region in its ARN)',
      finding({
        type: 'AWS::CloudFront::Distribution',
        id: 'E2QWRUHAPOMQZL',
        arn: 'arn:aws:cloudfront::222222222222:distribution/E2QWRUHAPOMQZL',
      }),
    ],
    [
      'an ECS task, named cluster/task as the API needs it',
      finding({
        type: 'AWS::ECS::Task',
        id: 'web/0123456789abcdef0123456789abcdef',
        arn: 'arn:aws:ecs:eu-west-1:222222222222:task/web/0123456789abcdef0123456789abcdef',
      }),
    ],
    [
      'an ECR repository in a namespace',
      finding({ type: 'AWS::ECR::Repository', id: 'team/app', arn: 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app' }),
    ],
    [
      'an RDS cluster snapshot',
      finding({
        type: 'AWS::RDS::DBClusterSnapshot',
        id: 'orders-final',
        arn: 'arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:orders-final',
      }),
    ],
    [
      'an EBS snapshot (no account in its ARN)',
      finding({ type: 'AWS::EC2::Snapshot', id: 'snap-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0' }),
    ],
    ['a FIFO queue', finding({ type: 'AWS::SQS::Queue', id: 'jobs.fifo', arn: 'arn:aws:sqs:eu-west-1:222222222222:jobs.fifo' })],
    ['a topic', finding({ type: 'AWS::SNS::Topic', id: 'alerts', arn: 'arn:aws:sns:eu-west-1:222222222222:alerts' })],
    [
      'a Redshift cluster',
      finding({ type: 'AWS::Redshift::Cluster', id: 'warehouse', arn: 'arn:aws:redshift:eu-west-1:222222222222:cluster:warehouse' }),
    ],
    [
      'a CodeBuild project',
      finding({ type: 'AWS::CodeBuild::Project', id: 'build', arn: 'arn:aws:codebuild:eu-west-1:222222222222:project/build' }),
    ],
    [
      'a GovCloud finding in a GovCloud deployment',
      finding({ type: 'AWS::S3::Bucket', id: 'b-1' }, { partition: 'aws-us-gov', region: 'us-gov-west-1' }),
    ],
  ])('accepts %s', (_name, f) => {
    expect(validateFindingIdentity(f, { partition: f.partition })).toEqual([]);
  });

  it.each<[string, Finding, string[]]>([
    [
      'a partition that is an ARN fragment (Security Hub Resources[].Partition)',
      finding({ type: 'AWS::IAM::Role', id: 'x' }, { partition: 'aws:iam::333333333333:role/x/..' }),
      ['partition "aws:iam::333333333333:role/x/.." is not a partition name'],
    ],
    [
      "another partition than the deployment's",
      finding({ type: 'AWS::S3::Bucket', id: 'b-1' }, { partition: 'aws-cn', region: 'cn-north-1' }),
      ["partition aws-cn is not this deployment's (aws)", 'region cn-north-1 is in partition aws-cn, not aws'],
    ],
    [
      'an account that is not 12 digits',
      finding({ type: 'AWS::S3::Bucket', id: 'b-1' }, { account: '22222222222*' }),
      ['account "22222222222*" is not a 12-digit account id'],
    ],
    [
      'a region that is no region',
      finding({ type: 'AWS::S3::Bucket', id: 'b-1' }, { region: 'eu-west-1"}' }),
      ['region "eu-west-1\\"}" is not a region name'],
    ],
    [
      'a resource region of another partition',
      finding({ type: 'AWS::S3::Bucket', id: 'b-1', region: 'us-gov-east-1' }),
      ['resource region us-gov-east-1 is in partition aws-us-gov, not aws'],
    ],
    [
      'a bucket named *',
      finding({ type: 'AWS::S3::Bucket', id: '*' }),
      [
        'resource id "*" is not a valid AWS::S3::Bucket id (expected a bucket name: 3-255 letters, digits and ._-, starting and ending with a letter or digit)',
      ],
    ],
    [
      'a bucket name with a slash',
      finding({ type: 'AWS::S3::Bucket', id: 'data/other' }),
      [
        'resource id "data/other" is not a valid AWS::S3::Bucket id (expected a bucket name: 3-255 letters, digits and ._-, starting and ending with a letter or digit)',
      ],
    ],
    [
      'an instance i-*',
      finding({ type: 'AWS::EC2::Instance', id: 'i-*' }),
      ['resource id "i-*" is not a valid AWS::EC2::Instance id (expected i- and 8 or 17 hex digits)'],
    ],
    [
      'a security group sg-*',
      finding({ type: 'AWS::EC2::SecurityGroup', id: 'sg-*' }),
      ['resource id "sg-*" is not a valid AWS::EC2::SecurityGroup id (expected sg- and 8 or 17 hex digits)'],
    ],
    [
      'a user name with a colon',
      finding({ type: 'AWS::IAM::User', id: 'user:alice' }),
      ['resource id "user:alice" is not a valid AWS::IAM::User id (expected an IAM name: 1-64 letters, digits and +=,.@_-)'],
    ],
    [
      'a role name that climbs a path',
      finding({ type: 'AWS::IAM::Role', id: 'x/..' }),
      ['resource id "x/.." is not a valid AWS::IAM::Role id (expected an IAM name: 1-64 letters, digits and +=,.@_-)'],
    ],
    [
      'a key alias instead of a key id',
      finding({ type: 'AWS::KMS::Key', id: 'alias/aws/s3' }),
      ['resource id "alias/aws/s3" is not a valid AWS::KMS::Key id (expected a key id (a UUID or mrk- and 32 hex digits))'],
    ],
    [
      'a wildcard id of a foreign type',
      finding({ type: 'ASFF::AwsEksCluster', id: 'prod-*' }),
      ['resource id "prod-*" is not a valid ASFF::AwsEksCluster id (expected no *, ?, blanks, braces or $)'],
    ],
    [
      'an IAM unique id where a user name is needed (how AWS Config names users)',
      finding({ type: 'AWS::IAM::User', id: 'AIDAEXAMPLEUNIQUEID01' }),
      [
        'resource id AIDAEXAMPLEUNIQUEID01 is an IAM unique id, not a user name (AWS Config names IAM users this way): ' +
          'find the name with `aws iam list-users --query "Users[?UserId==\'AIDAEXAMPLEUNIQUEID01\'].UserName"`, ' +
          'or map the rule through Security Hub, whose findings name the user by ARN',
      ],
    ],
    [
      'an account resource of another account',
      finding({ type: 'AWS::::Account', id: '333333333333' }),
      ["the resource is account 333333333333, the finding's account is 222222222222"],
    ],
    [
      'an ARN of another account',
      finding({ type: 'AWS::EC2::Instance', id: 'i-0a1b2c3d', arn: 'arn:aws:ec2:eu-west-1:333333333333:instance/i-0a1b2c3d' }),
      ['resource ARN "arn:aws:ec2:eu-west-1:333333333333:instance/i-0a1b2c3d" names account "333333333333", the finding 222222222222'],
    ],
    [
      'an ARN of another region',
      finding({ type: 'AWS::EC2::Instance', id: 'i-0a1b2c3d', arn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0a1b2c3d' }),
      ['resource ARN "arn:aws:ec2:us-east-1:222222222222:instance/i-0a1b2c3d" names region "us-east-1", the finding eu-west-1'],
    ],
    [
      'an ARN of another resource than the id',
      finding({ type: 'AWS::S3::Bucket', id: 'excluded-bucket', arn: 'arn:aws:s3:::target-bucket' }),
      ['resource ARN "arn:aws:s3:::target-bucket" names "target-bucket", the finding "excluded-bucket"'],
    ],
    [
      'an ARN of another service than the type',
      finding({ type: 'AWS::S3::Bucket', id: 'admin', arn: 'arn:aws:iam::222222222222:role/admin' }),
      ['resource ARN "arn:aws:iam::222222222222:role/admin" is an "iam" ARN, not one of AWS::S3::Bucket'],
    ],
    [
      'an ARN of another partition',
      finding({ type: 'AWS::S3::Bucket', id: 'b-1', arn: 'arn:aws-cn:s3:::b-1' }),
      ['resource ARN "arn:aws-cn:s3:::b-1" is in partition "aws-cn", the finding in "aws"'],
    ],
    ['an ARN that is no ARN', finding({ type: 'AWS::S3::Bucket', id: 'b-1', arn: 'b-1' }), ['resource ARN "b-1" is not an ARN']],
  ])('rejects %s', (_name, f, problems) => {
    expect(validateFindingIdentity(f, aws)).toEqual(problems);
  });
});

describe('planning a finding with a malformed identity', () => {
  it.each([
    ['AWS::ECR::Repository', 'team/*'],
    ['AWS::ECR::Repository', 'team/../other'],
    ['AWS::ECS::Task', 'web/*'],
    ['AWS::ECS::Task', 'web/0123456789abcdef0123456789abcdef/extra'],
    ['AWS::SQS::Queue', '*'],
    ['AWS::SNS::Topic', 'alerts:*'],
    ['AWS::CloudFormation::Stack', 'network/*'],
    ['AWS::AutoScaling::AutoScalingGroup', 'web:*'],
    ['AWS::CloudFront::Distribution', 'E*'],
    ['AWS::RDS::DBSnapshot', 'rds:orders-*'],
    ['AWS::EC2::Snapshot', 'snap-*'],
    ['AWS::Redshift::Cluster', 'ware*'],
    ['AWS::CodeBuild::Project', 'build/*'],
  ] as const)('rejects a %s id %j that would widen an ARN built from it', (type, id) => {
    expect(validateFindingIdentity(finding({ type, id }), aws)).toEqual([expect.stringContaining(`is not a valid ${type} id`)]);
  });

  it('plans nothing and says why, before any other check', () => {
    const f = { ...finding({ type: 'AWS::EC2::Instance', id: 'i-*' }), requestedActions: [{ bot: 'stop_box', args: [] }], notes: [] };
    const plan = planRemediation(f, runtimeConfig(), testRegistry());
    expect(plan.runs).toEqual([]);
    expect(plan.rejections.map((r) => [r.code, r.kind, r.reason])).toEqual([
      [
        'malformed-event',
        'error',
        `the finding's identity is malformed: resource id "i-*" is not a valid AWS::EC2::Instance id (expected i- and 8 or 17 hex digits). Nothing was planned`,
      ],
    ]);
  });

  it('rejects a Security Hub finding whose Resources[].Partition is an ARN fragment', () => {
    const event = fixture('securityhub-imported-s3.8.json');
    event.detail.findings[0].Resources[0].Partition = 'aws:iam::333333333333:role/x/..';
    const [parsed] = parseEvent(event, { defaultRegion: 'us-east-1' }).findings;
    const plan = planRemediation(
      parsed!,
      runtimeConfig({ mappings: { guardduty: {}, securityHub: { 'S3.8': ['fix_bucket'] }, config: {} } }),
      testRegistry(),
    );
    expect(plan.runs).toEqual([]);
    expect(plan.rejections[0]!.reason).toBe(
      `the finding's identity is malformed: partition "aws:iam::333333333333:role/x/.." is not a partition name; ` +
        `resource ARN "arn:aws:s3:::example" is in partition "aws", the finding in "aws:iam::333333333333:role/x/..". Nothing was planned`,
    );
  });
});
