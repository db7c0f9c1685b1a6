import { mockClient } from 'aws-sdk-client-mock';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateServiceLinkedRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/config/config_enable';
import { configDeliveryStatements } from '../../../bots/config/config-bucket';
import { botContext } from '../../support/bot-context';
import { iamError } from '../iam/iam-test-support';
import { s3Error } from '../s3/s3-test-support';

const account = { type: 'AWS::::Account', id: '222222222222' };
const SLR = 'arn:aws:iam::222222222222:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig';
const BUCKET = 'cloudmend-config-222222222222-us-east-1';

describe('config_enable', () => {
  const config = mockClient(ConfigServiceClient);
  const iam = mockClient(IAMClient);
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    for (const m of [config, iam, s3]) m.reset();
    config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [] });
    config.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [] });
  });
  afterAll(() => {
    for (const m of [config, iam, s3]) m.restore();
  });

  it('is compliant while a recorder is recording', async () => {
    config
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: true }] });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(result).toEqual({ status: 'already-compliant', message: 'AWS Config recorder default is recording in us-east-1', changes: [] });
    expect(iam.calls()).toHaveLength(0);
  });

  it('starts a stopped recorder that has a delivery channel', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [{ name: 'main' }] });
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'main', recording: false }] });
    config.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: 'default', s3BucketName: 'b' }] });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(config.commandCalls(StartConfigurationRecorderCommand)[0]!.args[0].input).toEqual({ ConfigurationRecorderName: 'main' });
    expect(config.commandCalls(PutConfigurationRecorderCommand)).toHaveLength(0);
    expect(result.message).toBe('started the AWS Config recorder main in us-east-1');
  });

  it('creates the service-linked role, a recorder of all types (global ones here, in us-east-1), its bucket and channel', async () => {
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(iam.commandCalls(CreateServiceLinkedRoleCommand)[0]!.args[0].input).toEqual({ AWSServiceName: 'config.amazonaws.com' });
    expect(config.commandCalls(PutConfigurationRecorderCommand)[0]!.args[0].input).toEqual({
      ConfigurationRecorder: { name: 'default', roleARN: SLR, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
    });
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({ Bucket: BUCKET });
    const policy = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy!);
    expect(policy.Statement.slice(0, 3)).toEqual(configDeliveryStatements(BUCKET, 'aws', '222222222222'));
    expect(config.commandCalls(PutDeliveryChannelCommand)[0]!.args[0].input).toEqual({
      DeliveryChannel: { name: 'default', s3BucketName: BUCKET },
    });
    expect(config.commandCalls(StartConfigurationRecorderCommand)[0]!.args[0].input).toEqual({ ConfigurationRecorderName: 'default' });
    expect(result.changes.map((c) => c.action)).toEqual([
      'iam:CreateServiceLinkedRole',
      'config:PutConfigurationRecorder',
      's3:CreateBucket',
      's3:PutBucketTagging',
      's3:PutBucketPublicAccessBlock',
      's3:PutBucketPolicy',
      'config:PutDeliveryChannel',
      'config:StartConfigurationRecorder',
    ]);
  });

  it('records global resource types only in global_region, and delivers to a given bucket untouched', async () => {
    iam
      .on(GetRoleCommand)
      .resolves({ Role: { RoleName: 'AWSServiceRoleForConfig', Arn: SLR, Path: '/', RoleId: 'A', CreateDate: new Date() } });
    await bot.run(botContext(bot, { resource: account, params: { global_region: 'eu-west-1', bucket: 'org-config-archive' } }));
    expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(0);
    expect(config.commandCalls(PutConfigurationRecorderCommand)[0]!.args[0].input.ConfigurationRecorder!.recordingGroup).toEqual({
      allSupported: true,
      includeGlobalResourceTypes: false,
    });
    expect(s3.calls()).toHaveLength(0);
    expect(config.commandCalls(PutDeliveryChannelCommand)[0]!.args[0].input.DeliveryChannel!.s3BucketName).toBe('org-config-archive');
  });

  it('reuses its bucket from an interrupted run, adding only the missing delivery grants', async () => {
    iam
      .on(GetRoleCommand)
      .resolves({ Role: { RoleName: 'AWSServiceRoleForConfig', Arn: SLR, Path: '/', RoleId: 'A', CreateDate: new Date() } });
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));

    await bot.run(botContext(bot, { resource: account }));

    expect(s3.commandCalls(CreateBucketCommand)).toHaveLength(0);
    expect(JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy!).Statement).toEqual(
      configDeliveryStatements(BUCKET, 'aws', '222222222222'),
    );
  });

  it('lets AWS Config deliver only for this account', () => {
    for (const statement of configDeliveryStatements(BUCKET, 'aws', '222222222222')) {
      expect(statement.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': '222222222222' } });
    }
  });

  it('in dry run creates nothing', async () => {
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound'));
    const result = await bot.run(botContext(bot, { resource: account, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(0);
    expect(config.commandCalls(PutConfigurationRecorderCommand)).toHaveLength(0);
    expect(config.commandCalls(StartConfigurationRecorderCommand)).toHaveLength(0);
  });
});
