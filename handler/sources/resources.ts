/**
 * One vocabulary for resources: CloudFormation type names, and as id what the
 * service API takes (bucket name, instance id, user name), whatever spelling the
 * source used.
 */

import { RESOURCE_TYPES, type ResourceType, type SupportedResourceType } from '../../bots/types';

/** CloudGuard/Dome9 entity types (`entity.type`), lower-cased. */
const CLOUDGUARD_TYPES: Record<string, SupportedResourceType> = {
  s3bucket: 'AWS::S3::Bucket',
  s3: 'AWS::S3::Bucket',
  instance: 'AWS::EC2::Instance',
  ec2: 'AWS::EC2::Instance',
  securitygroup: 'AWS::EC2::SecurityGroup',
  vpc: 'AWS::EC2::VPC',
  iamuser: 'AWS::IAM::User',
  user: 'AWS::IAM::User',
  iamrole: 'AWS::IAM::Role',
  role: 'AWS::IAM::Role',
  iampolicy: 'AWS::IAM::ManagedPolicy',
  rds: 'AWS::RDS::DBInstance',
  rdsdbinstance: 'AWS::RDS::DBInstance',
  kms: 'AWS::KMS::Key',
  kmskey: 'AWS::KMS::Key',
  cloudtrail: 'AWS::CloudTrail::Trail',
  trail: 'AWS::CloudTrail::Trail',
  volume: 'AWS::EC2::Volume',
  ebs: 'AWS::EC2::Volume',
  nacl: 'AWS::EC2::NetworkAcl',
  networkacl: 'AWS::EC2::NetworkAcl',
  internetgateway: 'AWS::EC2::InternetGateway',
  ami: 'AWS::EC2::Image',
  keypair: 'AWS::EC2::KeyPair',
  lambda: 'AWS::Lambda::Function',
  lambdafunction: 'AWS::Lambda::Function',
  subnet: 'AWS::EC2::Subnet',
  transitgateway: 'AWS::EC2::TransitGateway',
  ebssnapshot: 'AWS::EC2::Snapshot',
  snapshot: 'AWS::EC2::Snapshot',
  rdscluster: 'AWS::RDS::DBCluster',
  dbcluster: 'AWS::RDS::DBCluster',
  rdssnapshot: 'AWS::RDS::DBSnapshot',
  dbsnapshot: 'AWS::RDS::DBSnapshot',
  rdsclustersnapshot: 'AWS::RDS::DBClusterSnapshot',
  dbclustersnapshot: 'AWS::RDS::DBClusterSnapshot',
  ecstask: 'AWS::ECS::Task',
  ecr: 'AWS::ECR::Repository',
  ecrrepository: 'AWS::ECR::Repository',
  redshift: 'AWS::Redshift::Cluster',
  redshiftcluster: 'AWS::Redshift::Cluster',
  sns: 'AWS::SNS::Topic',
  snstopic: 'AWS::SNS::Topic',
  sqs: 'AWS::SQS::Queue',
  sqsqueue: 'AWS::SQS::Queue',
  codebuild: 'AWS::CodeBuild::Project',
  codebuildproject: 'AWS::CodeBuild::Project',
  autoscalinggroup: 'AWS::AutoScaling::AutoScalingGroup',
  asg: 'AWS::AutoScaling::AutoScalingGroup',
  cloudfront: 'AWS::CloudFront::Distribution',
  cloudfrontdistribution: 'AWS::CloudFront::Distribution',
  cloudformation: 'AWS::CloudFormation::Stack',
  cloudformationstack: 'AWS::CloudFormation::Stack',
  iam: 'AWS::::Account',
  iampasswordpolicy: 'AWS::::Account',
  account: 'AWS::::Account',
  region: 'AWS::::Account',
};

/** ASFF `Resources[].Type` values. */
const ASFF_TYPES: Record<string, SupportedResourceType> = {
  AwsS3Bucket: 'AWS::S3::Bucket',
  AwsEc2Instance: 'AWS::EC2::Instance',
  AwsEc2SecurityGroup: 'AWS::EC2::SecurityGroup',
  AwsEc2Vpc: 'AWS::EC2::VPC',
  AwsEc2Volume: 'AWS::EC2::Volume',
  AwsEc2NetworkAcl: 'AWS::EC2::NetworkAcl',
  AwsEc2Subnet: 'AWS::EC2::Subnet',
  AwsIamUser: 'AWS::IAM::User',
  AwsIamRole: 'AWS::IAM::Role',
  AwsIamPolicy: 'AWS::IAM::ManagedPolicy',
  AwsIamAccessKey: 'AWS::IAM::User',
  AwsRdsDbInstance: 'AWS::RDS::DBInstance',
  AwsKmsKey: 'AWS::KMS::Key',
  AwsCloudTrailTrail: 'AWS::CloudTrail::Trail',
  AwsLambdaFunction: 'AWS::Lambda::Function',
  AwsEc2Snapshot: 'AWS::EC2::Snapshot',
  AwsEc2TransitGateway: 'AWS::EC2::TransitGateway',
  AwsEc2InternetGateway: 'AWS::EC2::InternetGateway',
  AwsRdsDbCluster: 'AWS::RDS::DBCluster',
  AwsRdsDbSnapshot: 'AWS::RDS::DBSnapshot',
  AwsRdsDbClusterSnapshot: 'AWS::RDS::DBClusterSnapshot',
  AwsEcsTask: 'AWS::ECS::Task',
  AwsEcrRepository: 'AWS::ECR::Repository',
  AwsRedshiftCluster: 'AWS::Redshift::Cluster',
  AwsSnsTopic: 'AWS::SNS::Topic',
  AwsSqsQueue: 'AWS::SQS::Queue',
  AwsCodeBuildProject: 'AWS::CodeBuild::Project',
  AwsAutoScalingAutoScalingGroup: 'AWS::AutoScaling::AutoScalingGroup',
  AwsCloudFrontDistribution: 'AWS::CloudFront::Distribution',
  AwsCloudFormationStack: 'AWS::CloudFormation::Stack',
  AwsAccount: 'AWS::::Account',
};

const SUPPORTED: ReadonlySet<string> = new Set(RESOURCE_TYPES);

/** A CloudFormation type name cloudmend knows. */
export function isSupportedType(type: string): type is SupportedResourceType {
  return SUPPORTED.has(type);
}

export function cloudguardType(type: string): ResourceType {
  if (isSupportedType(type)) return type;
  return CLOUDGUARD_TYPES[type.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? `CloudGuard::${type}`;
}

export function asffType(type: string): ResourceType {
  if (isSupportedType(type)) return type;
  return ASFF_TYPES[type] ?? `ASFF::${type}`;
}

/** AWS Config already speaks CloudFormation names; one cloudmend does not know keeps its origin. */
export function configType(type: string): ResourceType {
  return isSupportedType(type) ? type : `Config::${type}`;
}

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** AWS Config names a queue by its URL (`<endpoint>/<account>/<name>`); the API's id is the name. */
function queueNameFromUrl(id: string): string {
  const match = /^https?:\/\/[^/]+\/\d{12}\/([^/]+)$/.exec(id);
  return match?.[1] ?? id;
}

/**
 * The id the service API takes, from an ARN or an id already: bucket name from
 * an S3 ARN, `i-…` from an instance ARN, user name from a user ARN (paths
 * dropped), DB identifier from an RDS ARN, key id from a key ARN, group name from
 * an Auto Scaling ARN, stack name from a stack ARN, queue name from a queue URL.
 */
export function apiId(type: string, idOrArn: string): string {
  const arn = parseArn(idOrArn);
  if (type === 'AWS::::Account') {
    return /(\d{12})$/.exec(idOrArn)?.[1] ?? idOrArn;
  }
  if (!arn) return type === 'AWS::SQS::Queue' ? queueNameFromUrl(idOrArn) : idOrArn;
  const resource = arn.resource;
  switch (arn.service) {
    case 's3':
      return resource.split('/')[0] ?? resource;
    case 'rds':
      // db:name, cluster:name, snapshot:name, cluster-snapshot:name
      return resource.replace(/^(?:db|cluster|snapshot|cluster-snapshot):/, '');
    case 'autoscaling':
      // autoScalingGroup:<uuid>:autoScalingGroupName/<name>
      return /:autoScalingGroupName\/(.+)$/.exec(resource)?.[1] ?? resource;
    case 'cloudformation':
      // stack/<name>/<uuid>
      return /^stack\/([^/]+)/.exec(resource)?.[1] ?? resource;
    case 'sns':
    case 'sqs':
      // the topic or queue name is the whole resource part
      return resource;
    case 'iam':
      // user/path/to/name -> name
      return resource.split('/').at(-1) ?? resource;
    default: {
      // instance/i-…, security-group/sg-…, vpc/vpc-…, key/…, trail/…
      const slash = resource.indexOf('/');
      return slash >= 0 ? resource.slice(slash + 1) : resource.slice(resource.indexOf(':') + 1);
    }
  }
}
