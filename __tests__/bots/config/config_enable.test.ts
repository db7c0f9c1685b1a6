import { mockClient } from 'aws-sdk-client-mock';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  StopConfigurationRecorderCommand,
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
import { sessionPolicyFor } from '../../../bots/permissions';
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
    expect(result.changes[0]!.undo).toEqual({
      kind: 'recorder-recording',
      before: { recorder: 'main', recording: false },
      after: { recorder: 'main', recording: true },
      ids: { recorderName: ['main'] },
    });
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
    // All of it set up from nothing, and kept on undo: irreversible kinds, each with why.
    expect(result.changes.map((c) => [c.action, c.undo?.kind])).toEqual([
      ['iam:CreateServiceLinkedRole', 'config-service-linked-role'],
      ['config:PutConfigurationRecorder', 'config-setup'],
      ['s3:CreateBucket', 'log-bucket'],
      ['s3:PutBucketTagging', 'log-bucket'],
      ['s3:PutBucketPublicAccessBlock', 'log-bucket'],
      ['s3:PutBucketPolicy', 'log-bucket'],
      ['config:PutDeliveryChannel', 'config-setup'],
      ['config:StartConfigurationRecorder', 'config-setup'],
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

  it('records the settings of a stopped recorder without a channel before giving it its own, and its start', async () => {
    const own = {
      name: 'main',
      roleARN: 'arn:aws:iam::222222222222:role/ops/config-recorder',
      recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: ['AWS::S3::Bucket' as const] },
    };
    config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [own] });
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'main', recording: false }] });
    iam
      .on(GetRoleCommand)
      .resolves({ Role: { RoleName: 'AWSServiceRoleForConfig', Arn: SLR, Path: '/', RoleId: 'A', CreateDate: new Date() } });

    const result = await bot.run(botContext(bot, { resource: account, params: { bucket: 'org-config-archive' } }));

    const settings = result.changes.find((c) => c.action === 'config:PutConfigurationRecorder')!.undo!;
    expect(settings).toEqual({
      kind: 'recorder-settings',
      before: {
        recorder: 'main',
        roleARN: own.roleARN,
        recordingGroup: {
          allSupported: false,
          includeGlobalResourceTypes: false,
          resourceTypes: ['AWS::S3::Bucket'],
          exclusionByResourceTypes: [],
          useOnly: 'INCLUSION_BY_RESOURCE_TYPES',
        },
        recordingMode: { recordingFrequency: 'CONTINUOUS', recordingModeOverrides: [] },
      },
      after: {
        recorder: 'main',
        roleARN: SLR,
        recordingGroup: {
          allSupported: true,
          includeGlobalResourceTypes: true,
          resourceTypes: [],
          exclusionByResourceTypes: [],
          useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES',
        },
        recordingMode: { recordingFrequency: 'CONTINUOUS', recordingModeOverrides: [] },
      },
      ids: { recorderName: ['main'], roleName: ['config-recorder'] },
    });
    expect(result.changes.map((c) => [c.action, c.undo?.kind])).toEqual([
      ['config:PutConfigurationRecorder', 'recorder-settings'],
      ['config:PutDeliveryChannel', 'config-setup'],
      ['config:StartConfigurationRecorder', 'recorder-recording'],
    ]);

    // The undo session names that recorder, and passes that role (to AWS Config only).
    const kind = bot.meta.undo!['recorder-settings']!;
    if (!kind.reversible) throw new Error('recorder-settings must be reversible');
    const policy = sessionPolicyFor(kind, {
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      resourceId: '222222222222',
      derived: settings.ids!,
    });
    expect(policy.Statement.map((st) => [st.Action, st.Resource, st.Condition])).toEqual([
      [
        ['config:DescribeConfigurationRecorders', 'config:PutConfigurationRecorder'],
        ['arn:aws:config:us-east-1:222222222222:configuration-recorder/main/*'],
        undefined,
      ],
      [
        ['iam:PassRole'],
        ['arn:aws:iam::222222222222:role/*/config-recorder', 'arn:aws:iam::222222222222:role/config-recorder'],
        { StringEquals: { 'iam:PassedToService': 'config.amazonaws.com' } },
      ],
    ]);
  });

  describe('undo', () => {
    const undoContext = (kind: string, after: object) => ({
      client: <C>(ClientClass: new (config: { region: string }) => C) => new ClientClass({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: 'recorder main',
      change: { kind, before: null, after },
    });

    it('reads and stops the recorder it started', async () => {
      const undoer = bot.undoers!['recorder-recording']!;
      const ctx = undoContext('recorder-recording', { recorder: 'main', recording: true });
      config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'main', recording: true }] });
      expect(await undoer.read(ctx)).toEqual({ recorder: 'main', recording: true });
      expect(config.commandCalls(DescribeConfigurationRecorderStatusCommand)[0]!.args[0].input).toEqual({
        ConfigurationRecorderNames: ['main'],
      });
      config.on(StopConfigurationRecorderCommand).resolves({});
      await undoer.write(ctx, { recorder: 'main', recording: false });
      expect(config.commandCalls(StopConfigurationRecorderCommand)[0]!.args[0].input).toEqual({ ConfigurationRecorderName: 'main' });
      await expect(undoer.write(ctx, { recorder: 'main', recording: true })).rejects.toThrow('only stopping');
    });

    it('puts the recorder’s own settings back, sending only what says something', async () => {
      const undoer = bot.undoers!['recorder-settings']!;
      const ctx = undoContext('recorder-settings', { recorder: 'main' });
      config.on(PutConfigurationRecorderCommand).resolves({});
      await undoer.write(ctx, {
        recorder: 'main',
        roleARN: 'arn:aws:iam::222222222222:role/config-recorder',
        recordingGroup: {
          allSupported: false,
          includeGlobalResourceTypes: false,
          resourceTypes: [],
          exclusionByResourceTypes: ['AWS::EC2::NetworkInterface'],
          useOnly: 'EXCLUSION_BY_RESOURCE_TYPES',
        },
        recordingMode: { recordingFrequency: 'DAILY', recordingModeOverrides: [] },
      });
      expect(config.commandCalls(PutConfigurationRecorderCommand)[0]!.args[0].input).toEqual({
        ConfigurationRecorder: {
          name: 'main',
          roleARN: 'arn:aws:iam::222222222222:role/config-recorder',
          recordingGroup: {
            allSupported: false,
            includeGlobalResourceTypes: false,
            exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::NetworkInterface'] },
            recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          },
          recordingMode: { recordingFrequency: 'DAILY', recordingModeOverrides: [] },
        },
      });
    });

    it('refuses to restore a recorder that no longer exists', async () => {
      const undoer = bot.undoers!['recorder-settings']!;
      await expect(undoer.read(undoContext('recorder-settings', { recorder: 'main' }))).rejects.toThrow('recorder main no longer exists');
    });
  });
});
