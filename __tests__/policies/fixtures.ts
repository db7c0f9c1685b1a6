/**
 * The organization the policy simulations run in, and how a bot's request is
 * built from its metadata: sample resources per resource type, the member and
 * handler principals, and the full request context AWS would supply.
 */
import { type DERIVED_PLACEHOLDERS, type PolicyDocument, renderResource, type PermissionScope } from '../../bots/permissions';
import type { Bot, DerivedIds, Permission } from '../../bots/types';

export const PARTITION = 'aws';
export const SECURITY_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';
export const OUTSIDE_ACCOUNT = '999999999999';
export const ORGANIZATION_ID = 'o-exampleorg1';
export const MEMBER_ROLE_NAME = 'CloudmendRemediation';
export const EXTERNAL_ID = 'cloudmend-external-id';
/**
 * us-east-1 is deliberately not enabled: global services (IAM) are requested
 * there whatever regions are enabled, and must still work.
 */
export const ENABLED_REGIONS = ['eu-west-1', 'eu-central-1'];
export const FINDING_REGION = 'eu-west-1';
export const DISABLED_REGION = 'ap-southeast-2';
export const GLOBAL_REQUEST_REGION = 'us-east-1';
const NOW = '2026-11-23T00:00:00Z';

/** The finding's resource, and another one of the same type the bot must not touch. */
export const SAMPLE_RESOURCES: Record<string, { id: string; other: string }> = {
  'AWS::S3::Bucket': { id: 'finding-bucket', other: 'other-bucket' },
  'AWS::EC2::Instance': { id: 'i-0123456789abcdef0', other: 'i-0fedcba9876543210' },
  'AWS::EC2::SecurityGroup': { id: 'sg-0123456789abcdef0', other: 'sg-0fedcba9876543210' },
  'AWS::EC2::VPC': { id: 'vpc-0123456789abcdef0', other: 'vpc-0fedcba9876543210' },
  'AWS::EC2::Subnet': { id: 'subnet-0123456789abcdef0', other: 'subnet-0fedcba9876543210' },
  'AWS::EC2::Image': { id: 'ami-0123456789abcdef0', other: 'ami-0fedcba9876543210' },
  'AWS::EC2::KeyPair': { id: 'finding-key', other: 'other-key' },
  'AWS::EC2::NetworkAcl': { id: 'acl-0123456789abcdef0', other: 'acl-0fedcba9876543210' },
  'AWS::IAM::User': { id: 'finding-user', other: 'other-user' },
  'AWS::IAM::Role': { id: 'finding-role', other: 'other-role' },
  'AWS::IAM::ManagedPolicy': { id: 'finding-policy', other: 'other-policy' },
  'AWS::RDS::DBInstance': { id: 'finding-db', other: 'other-db' },
  'AWS::KMS::Key': { id: '1234abcd-12ab-34cd-56ef-1234567890ab', other: '0987dcba-09fe-87dc-65ba-ab0987654321' },
  'AWS::CloudTrail::Trail': { id: 'finding-trail', other: 'other-trail' },
  'AWS::::Account': { id: MEMBER_ACCOUNT, other: OUTSIDE_ACCOUNT },
  'AWS::EC2::InternetGateway': { id: 'igw-0123456789abcdef0', other: 'igw-0fedcba9876543210' },
  'AWS::EC2::Snapshot': { id: 'snap-0123456789abcdef0', other: 'snap-0fedcba9876543210' },
  'AWS::EC2::TransitGateway': { id: 'tgw-0123456789abcdef0', other: 'tgw-0fedcba9876543210' },
  'AWS::EC2::Volume': { id: 'vol-0123456789abcdef0', other: 'vol-0fedcba9876543210' },
  'AWS::Lambda::Function': { id: 'finding-function', other: 'other-function' },
  'AWS::RDS::DBCluster': { id: 'finding-cluster', other: 'other-cluster' },
  'AWS::RDS::DBSnapshot': { id: 'finding-snapshot', other: 'other-snapshot' },
  'AWS::RDS::DBClusterSnapshot': { id: 'finding-cluster-snapshot', other: 'other-cluster-snapshot' },
  'AWS::ECS::Task': { id: 'finding-cluster/0123456789abcdef0123456789abcdef', other: 'finding-cluster/fedcba9876543210fedcba9876543210' },
  'AWS::ECR::Repository': { id: 'finding-repo', other: 'other-repo' },
  'AWS::Redshift::Cluster': { id: 'finding-cluster', other: 'other-cluster' },
  'AWS::SNS::Topic': { id: 'finding-topic', other: 'other-topic' },
  'AWS::SQS::Queue': { id: 'finding-queue', other: 'other-queue' },
  'AWS::CodeBuild::Project': { id: 'finding-project', other: 'other-project' },
  'AWS::AutoScaling::AutoScalingGroup': { id: 'finding-asg', other: 'other-asg' },
  'AWS::CloudFront::Distribution': { id: 'E0FINDING000001', other: 'E0OTHER0000001' },
  'AWS::CloudFormation::Stack': { id: 'finding-stack', other: 'other-stack' },
  'AWS::Logs::LogGroup': { id: 'finding-log-group', other: 'other-log-group' },
};

/**
 * Ids a bot only learns by reading (the instance's volumes and interfaces, ...):
 * the one it read, and another of the same kind it must not touch.
 */
export const SAMPLE_DERIVED: Record<(typeof DERIVED_PLACEHOLDERS)[number], { id: string; other: string }> = {
  vpcId: { id: 'vpc-0a1b2c3d4e5f60718', other: 'vpc-0f9e8d7c6b5a40312' },
  volumeId: { id: 'vol-0a1b2c3d4e5f60718', other: 'vol-0f9e8d7c6b5a40312' },
  networkInterfaceId: { id: 'eni-0a1b2c3d4e5f60718', other: 'eni-0f9e8d7c6b5a40312' },
  securityGroupId: { id: 'sg-0a1b2c3d4e5f60718', other: 'sg-0f9e8d7c6b5a40312' },
  allocationId: { id: 'eipalloc-0a1b2c3d4e5f60718', other: 'eipalloc-0f9e8d7c6b5a40312' },
  trailRegion: { id: 'eu-west-1', other: 'eu-central-1' },
  groupName: { id: 'finding-group', other: 'admins' },
  snapshotId: { id: 'snap-0a1b2c3d4e5f60718', other: 'snap-0f9e8d7c6b5a40312' },
  instanceProfileName: { id: 'app-instance-profile', other: 'other-instance-profile' },
  roleName: { id: 'app-instance-role', other: 'other-instance-role' },
  monitoringRoleName: { id: 'rds-monitoring-role', other: 'other-monitoring-role' },
  dbSnapshotId: { id: 'finding-db-cloudmend-encrypted', other: 'other-db-snapshot' },
  dbInstanceId: { id: 'finding-db-encrypted', other: 'other-db' },
  layerName: { id: 'shared-libs', other: 'other-libs' },
  layerAccount: { id: '333333333333', other: '444444444444' },
  policyName: { id: 'AdministratorAccess', other: 'other-policy' },
  clusterName: { id: 'prod', other: 'staging' },
  containerInstanceId: { id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', other: '0f9e8d7c6b5a40312a1b2c3d4e5f6071' },
  internetGatewayId: { id: 'igw-0a1b2c3d4e5f60718', other: 'igw-0f9e8d7c6b5a40312' },
  networkAclId: { id: 'acl-0a1b2c3d4e5f60718', other: 'acl-0f9e8d7c6b5a40312' },
  subnetId: { id: 'subnet-0a1b2c3d4e5f60718', other: 'subnet-0f9e8d7c6b5a40312' },
  instanceId: { id: 'i-0a1b2c3d4e5f60718', other: 'i-0f9e8d7c6b5a40312' },
  flowLogId: { id: 'fl-0a1b2c3d4e5f60718', other: 'fl-0f9e8d7c6b5a40312' },
  dbClusterSnapshotId: { id: 'finding-cluster-snapshot-cloudmend-encrypted', other: 'other-cluster-snapshot' },
  kmsKeyId: { id: '0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9', other: '0f9e8d7c-6b5a-4031-8a1b-2c3d4e5f6071' },
  trailName: { id: 'main-trail', other: 'other-trail' },
  recorderName: { id: 'default', other: 'other-recorder' },
};

/** A user, role, group, managed policy or instance profile ARN with any path before the name: their names are unique in an account whatever the path, so one of each. */
export const ANY_PATH_ONE_USER = /:(user|role|group|policy|instance-profile)\/\*\/[^*/]+$/;
/**
 * A resource named by its name where its ARN also carries an id AWS gives it: an Auto Scaling group
 * (`autoScalingGroup:<id>:autoScalingGroupName/<name>`), a CloudFormation stack (`stack/<name>/<id>`), an AWS Config
 * recorder (`configuration-recorder/<name>/<id>`). Names are unique among a Region's live groups, stacks and recorders,
 * so the `*` stands for the one live resource of that name.
 */
export const NAME_WITH_AWS_ID =
  /:autoScalingGroup:\*:autoScalingGroupName\/[^*/]+$|:stack\/[^*/]+\/\*$|:configuration-recorder\/[^*/]+\/\*$/;

/** `action resource` for each resource of a policy naming existing resources by a wildcard (`*` alone, a `:*` suffix, a path or an AWS-given id aside). */
export function wildcardResources(policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((statement) =>
    statement.Resource.filter(
      (resource) =>
        resource !== '*' &&
        resource.includes('*') &&
        !/^[^*]*:\*$/.test(resource) &&
        !ANY_PATH_ONE_USER.test(resource) &&
        !NAME_WITH_AWS_ID.test(resource),
    ).flatMap((resource) => statement.Action.map((action) => `${action} ${resource}`)),
  );
}

/** The derived ids of the sample: what the bot read (`id`), or the neighbours it did not (`other`). */
export function sampleDerivedIds(which: 'id' | 'other' = 'id'): DerivedIds {
  return Object.fromEntries(Object.entries(SAMPLE_DERIVED).map(([key, sample]) => [key, [sample[which]]]));
}

export function sampleResourceFor(bot: Bot): { id: string; other: string } {
  const type = bot.meta.resourceTypes[0] ?? '';
  const sample = SAMPLE_RESOURCES[type];
  if (!sample) throw new Error(`no sample resource for ${type} (bot ${bot.meta.name}): add one to SAMPLE_RESOURCES`);
  return sample;
}

export function memberScope(region: string, resourceId: string): Required<Omit<PermissionScope, 'derived'>> {
  return { partition: PARTITION, account: MEMBER_ACCOUNT, region, resourceId };
}

/**
 * A concrete ARN a request would name: the template rendered for the scope, an
 * account or region left open filled with the scope's, and any other wildcard
 * standing for some resource the bot creates (`snapshot/*` -> `snapshot/example`). A
 * derived placeholder (`{volumeId}`) becomes the sample id the bot read, or the other one.
 * A trailing `:*` (log streams of a log group) stays: AWS evaluates that form.
 */
export function requestArn(template: string, scope: Required<Omit<PermissionScope, 'derived'>>, derived: 'id' | 'other' = 'id'): string {
  const withDerived = Object.entries(SAMPLE_DERIVED).reduce((t, [key, sample]) => t.split(`{${key}}`).join(sample[derived]), template);
  const rendered = renderResource(withDerived, scope);
  if (rendered === '*') return rendered;
  const parts = rendered.split(':');
  if (parts[3] === '*') parts[3] = scope.region;
  if (parts[4] === '*') parts[4] = scope.account;
  const joined = parts.join(':');
  const keepSuffix = joined.endsWith(':*');
  const body = keepSuffix ? joined.slice(0, -2) : joined;
  return `${body.replace(/\*/g, 'example')}${keepSuffix ? ':*' : ''}`;
}

export function memberSessionArn(bot: string, account = MEMBER_ACCOUNT): string {
  return `arn:${PARTITION}:sts::${account}:assumed-role/${MEMBER_ROLE_NAME}/cloudmend-${bot}`;
}

export function memberRoleArn(account = MEMBER_ACCOUNT): string {
  return `arn:${PARTITION}:iam::${account}:role/${MEMBER_ROLE_NAME}`;
}

/** Global keys AWS sets on every request from an assumed-role session. */
export function principalContext(roleArn: string, session: string, requestedRegion: string): Record<string, string> {
  const account = roleArn.split(':')[4]!;
  return {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalOrgID': ORGANIZATION_ID,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': `AROAEXAMPLEROLEID0001:${session}`,
    'aws:RequestedRegion': requestedRegion,
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': NOW,
    'aws:EpochTime': String(Date.parse(NOW) / 1000),
    'aws:TokenIssueTime': NOW,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
    'aws:SourceIp': '198.51.100.7',
  };
}

/** Keys S3 adds to every request (signature, auth and TLS facts). */
const S3_REQUEST_KEYS = { 's3:authType': 'REST-HEADER', 's3:signatureversion': 'AWS4-HMAC-SHA256', 's3:TlsVersion': '1.3' };

/**
 * Values that satisfy a permission's own conditions: the request the bot makes
 * carries them (it tags what it creates, passes the role to the service it names).
 * Wildcards in Like patterns stand for the partition.
 */
export function satisfyingContext(conditions: Permission['conditions']): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [operator, block] of Object.entries(conditions ?? {})) {
    if (!/^(StringEquals|StringLike|ArnEquals|ArnLike)$/.test(operator)) {
      throw new Error(`cannot build a request satisfying condition operator ${operator}: teach satisfyingContext`);
    }
    for (const [key, value] of Object.entries(block)) {
      const first = Array.isArray(value) ? value[0]! : value;
      context[key] = first.replace(/\*/g, PARTITION);
    }
  }
  return context;
}

/** Full context for a bot's request of `action`: principal facts, service facts, and what the bot's conditions on that action ask for. */
export function botRequestContext(bot: Bot, action: string, requestedRegion: string, account = MEMBER_ACCOUNT): Record<string, string> {
  const own = Object.assign(
    {},
    ...bot.meta.permissions.filter((p) => p.actions.includes(action)).map((p) => satisfyingContext(p.conditions)),
  ) as Record<string, string>;
  return {
    ...principalContext(memberRoleArn(account), `cloudmend-${bot.meta.name}`, requestedRegion),
    ...(action.startsWith('s3:') ? S3_REQUEST_KEYS : {}),
    ...own,
  };
}

/**
 * Actions next to what the bots do that no bot should be able to do with the
 * finding's resource (or its account): read data, delete, widen access,
 * create credentials, pass roles, escape the account.
 */
export interface Neighbour {
  action: string;
  resource: (scope: Required<Omit<PermissionScope, 'derived'>>) => string;
  /** Request facts that come with this action (the service a role is passed to). */
  context?: Record<string, string>;
}

const s = (f: (x: Required<Omit<PermissionScope, 'derived'>>) => string) => f;
export const DANGEROUS_NEIGHBOURS: Neighbour[] = [
  { action: 's3:GetObject', resource: s(({ partition }) => `arn:${partition}:s3:::finding-bucket/payroll.csv`) },
  { action: 's3:PutObject', resource: s(({ partition }) => `arn:${partition}:s3:::finding-bucket/payroll.csv`) },
  { action: 's3:DeleteBucket', resource: s(({ partition }) => `arn:${partition}:s3:::finding-bucket`) },
  { action: 's3:PutBucketPolicy', resource: s(({ partition }) => `arn:${partition}:s3:::finding-bucket`) },
  { action: 's3:DeleteBucketPolicy', resource: s(({ partition }) => `arn:${partition}:s3:::finding-bucket`) },
  { action: 'ec2:TerminateInstances', resource: s((x) => `arn:${x.partition}:ec2:${x.region}:${x.account}:instance/i-0123456789abcdef0`) },
  {
    action: 'ec2:ModifyInstanceAttribute',
    resource: s((x) => `arn:${x.partition}:ec2:${x.region}:${x.account}:instance/i-0123456789abcdef0`),
  },
  {
    action: 'ec2:AuthorizeSecurityGroupIngress',
    resource: s((x) => `arn:${x.partition}:ec2:${x.region}:${x.account}:security-group/sg-0123456789abcdef0`),
  },
  { action: 'ec2:DeleteSnapshot', resource: s((x) => `arn:${x.partition}:ec2:${x.region}::snapshot/snap-0123456789abcdef0`) },
  { action: 'ec2:DeleteVolume', resource: s((x) => `arn:${x.partition}:ec2:${x.region}:${x.account}:volume/vol-0123456789abcdef0`) },
  { action: 'ec2:DisableEbsEncryptionByDefault', resource: () => '*' },
  { action: 'iam:CreateAccessKey', resource: s((x) => `arn:${x.partition}:iam::${x.account}:user/finding-user`) },
  { action: 'iam:CreateUser', resource: s((x) => `arn:${x.partition}:iam::${x.account}:user/intruder`) },
  { action: 'iam:AttachUserPolicy', resource: s((x) => `arn:${x.partition}:iam::${x.account}:user/finding-user`) },
  { action: 'iam:DeleteUser', resource: s((x) => `arn:${x.partition}:iam::${x.account}:user/finding-user`) },
  { action: 'iam:PutRolePolicy', resource: s((x) => `arn:${x.partition}:iam::${x.account}:role/${MEMBER_ROLE_NAME}`) },
  {
    action: 'iam:PassRole',
    resource: s((x) => `arn:${x.partition}:iam::${x.account}:role/OrganizationAccountAccessRole`),
    context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
  },
  {
    action: 'iam:PassRole',
    resource: s((x) => `arn:${x.partition}:iam::${x.account}:role/OrganizationAccountAccessRole`),
    context: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' },
  },
  {
    // The flow-log delivery role, but handed to a service that could run code with it.
    action: 'iam:PassRole',
    resource: s((x) => `arn:${x.partition}:iam::${x.account}:role/cloudmend-vpc-flow-logs`),
    context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
  },
  { action: 'iam:DeleteAccountPasswordPolicy', resource: () => '*' },
  { action: 'kms:Decrypt', resource: s((x) => `arn:${x.partition}:kms:${x.region}:${x.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`) },
  {
    action: 'kms:ScheduleKeyDeletion',
    resource: s((x) => `arn:${x.partition}:kms:${x.region}:${x.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
  },
  {
    action: 'kms:PutKeyPolicy',
    resource: s((x) => `arn:${x.partition}:kms:${x.region}:${x.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
  },
  {
    action: 'kms:DisableKeyRotation',
    resource: s((x) => `arn:${x.partition}:kms:${x.region}:${x.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
  },
  { action: 'rds:DeleteDBInstance', resource: s((x) => `arn:${x.partition}:rds:${x.region}:${x.account}:db:finding-db`) },
  { action: 'rds:ModifyDBInstance', resource: s((x) => `arn:${x.partition}:rds:${x.region}:${x.account}:db:finding-db`) },
  { action: 'cloudtrail:StopLogging', resource: s((x) => `arn:${x.partition}:cloudtrail:${x.region}:${x.account}:trail/finding-trail`) },
  { action: 'cloudtrail:DeleteTrail', resource: s((x) => `arn:${x.partition}:cloudtrail:${x.region}:${x.account}:trail/finding-trail`) },
  { action: 'logs:DeleteLogGroup', resource: s((x) => `arn:${x.partition}:logs:${x.region}:${x.account}:log-group:/aws/lambda/payments`) },
  { action: 'sts:AssumeRole', resource: s((x) => `arn:${x.partition}:iam::${OUTSIDE_ACCOUNT}:role/${MEMBER_ROLE_NAME}`) },
  { action: 'organizations:LeaveOrganization', resource: () => '*' },
];

/**
 * The resource policy AWS consults besides the identity policies. KMS is the one
 * service here where an identity policy alone grants nothing: the key policy
 * must delegate to the account. This is the default key policy (root of the
 * key's account, i.e. "IAM policies decide"); a key whose policy does not
 * delegate cannot be remediated by any IAM-granted bot.
 */
export function resourcePolicyFor(action: string, resource: string): unknown {
  if (!action.startsWith('kms:') || resource === '*') return undefined;
  const [, partition, , , account] = resource.split(':');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}
