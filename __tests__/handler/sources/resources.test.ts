import { apiId, asffType, cloudguardType, configType } from '../../../handler/sources/resources';

describe('apiId: the id the service API takes, whatever spelling the source used', () => {
  it.each([
    ['AWS::RDS::DBInstance', 'arn:aws:rds:eu-west-1:222222222222:db:orders', 'orders'],
    ['AWS::RDS::DBCluster', 'arn:aws:rds:eu-west-1:222222222222:cluster:orders', 'orders'],
    ['AWS::RDS::DBSnapshot', 'arn:aws:rds:eu-west-1:222222222222:snapshot:orders-final', 'orders-final'],
    ['AWS::RDS::DBClusterSnapshot', 'arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:orders-final', 'orders-final'],
    [
      'AWS::AutoScaling::AutoScalingGroup',
      'arn:aws:autoscaling:eu-west-1:222222222222:autoScalingGroup:8e5f1d6c-1111-2222-3333-444455556666:autoScalingGroupName/web-asg',
      'web-asg',
    ],
    [
      'AWS::CloudFormation::Stack',
      'arn:aws:cloudformation:eu-west-1:222222222222:stack/network/8e5f1d6c-1111-2222-3333-444455556666',
      'network',
    ],
    [
      'AWS::ECS::Task',
      'arn:aws:ecs:eu-west-1:222222222222:task/web/0123456789abcdef0123456789abcdef',
      'web/0123456789abcdef0123456789abcdef',
    ],
    ['AWS::ECR::Repository', 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app', 'team/app'],
    ['AWS::Redshift::Cluster', 'arn:aws:redshift:eu-west-1:222222222222:cluster:warehouse', 'warehouse'],
    ['AWS::SNS::Topic', 'arn:aws:sns:eu-west-1:222222222222:alerts', 'alerts'],
    ['AWS::SQS::Queue', 'arn:aws:sqs:eu-west-1:222222222222:jobs.fifo', 'jobs.fifo'],
    // A queue URL as Config gives it; its host is whichever endpoint served the queue (an emulator's here).
    ['AWS::SQS::Queue', 'http://127.0.0.1:5000/222222222222/jobs', 'jobs'],
    ['AWS::CodeBuild::Project', 'arn:aws:codebuild:eu-west-1:222222222222:project/build', 'build'],
    ['AWS::CloudFront::Distribution', 'arn:aws:cloudfront::222222222222:distribution/E2QWRUHAPOMQZL', 'E2QWRUHAPOMQZL'],
    ['AWS::EC2::Snapshot', 'arn:aws:ec2:eu-west-1::snapshot/snap-0123456789abcdef0', 'snap-0123456789abcdef0'],
    ['AWS::Lambda::Function', 'arn:aws:lambda:eu-west-1:222222222222:function:payments', 'payments'],
  ])('%s %s -> %s', (type, text, id) => {
    expect(apiId(type, text)).toBe(id);
  });

  it('leaves an id that is neither an ARN nor a queue URL as it is', () => {
    expect(apiId('AWS::SQS::Queue', 'jobs')).toBe('jobs');
    expect(apiId('AWS::SQS::Queue', 'https://example.com/not/a/queue')).toBe('https://example.com/not/a/queue');
  });
});

describe('resource type names of each source', () => {
  it.each([
    ['AwsRdsDbCluster', 'AWS::RDS::DBCluster'],
    ['AwsRdsDbSnapshot', 'AWS::RDS::DBSnapshot'],
    ['AwsRdsDbClusterSnapshot', 'AWS::RDS::DBClusterSnapshot'],
    ['AwsEcsTask', 'AWS::ECS::Task'],
    ['AwsEcrRepository', 'AWS::ECR::Repository'],
    ['AwsRedshiftCluster', 'AWS::Redshift::Cluster'],
    ['AwsSnsTopic', 'AWS::SNS::Topic'],
    ['AwsSqsQueue', 'AWS::SQS::Queue'],
    ['AwsCodeBuildProject', 'AWS::CodeBuild::Project'],
    ['AwsAutoScalingAutoScalingGroup', 'AWS::AutoScaling::AutoScalingGroup'],
    ['AwsCloudFrontDistribution', 'AWS::CloudFront::Distribution'],
    ['AwsCloudFormationStack', 'AWS::CloudFormation::Stack'],
    ['AwsEc2Snapshot', 'AWS::EC2::Snapshot'],
    ['AwsEc2TransitGateway', 'AWS::EC2::TransitGateway'],
  ])('Security Hub %s is %s', (asff, type) => {
    expect(asffType(asff)).toBe(type);
  });

  it.each([
    ['RDSCluster', 'AWS::RDS::DBCluster'],
    ['SnsTopic', 'AWS::SNS::Topic'],
    ['SQS', 'AWS::SQS::Queue'],
    ['Redshift', 'AWS::Redshift::Cluster'],
    ['EcrRepository', 'AWS::ECR::Repository'],
    ['AutoScalingGroup', 'AWS::AutoScaling::AutoScalingGroup'],
    ['CloudFront', 'AWS::CloudFront::Distribution'],
    ['CodeBuildProject', 'AWS::CodeBuild::Project'],
  ])('CloudGuard %s is %s', (entity, type) => {
    expect(cloudguardType(entity)).toBe(type);
  });

  it('keeps the origin of a type cloudmend does not know', () => {
    expect(asffType('AwsOpenSearchServiceDomain')).toBe('ASFF::AwsOpenSearchServiceDomain');
    expect(cloudguardType('ElasticSearchDomain')).toBe('CloudGuard::ElasticSearchDomain');
    expect(configType('AWS::EKS::Cluster')).toBe('Config::AWS::EKS::Cluster');
    expect(configType('AWS::SQS::Queue')).toBe('AWS::SQS::Queue');
  });
});
