import { z } from 'zod';
import { alreadyCompliant, ChangeSet } from '../changes';
import { BUCKET_NAME } from '../s3/bucket';
import { defineBot } from '../types';
import { LOG_BUCKET_KIND, LOG_BUCKET_UNDO } from '../s3/s3-undo';
import { CONFIG_SERVICE, configBucketName, ensureConfigBucket } from './config-bucket';
import {
  CONFIG_SETUP_CHANGE,
  CONFIG_SETUP_KIND,
  CONFIG_SETUP_UNDO,
  RECORDER_SETTINGS_KIND,
  RECORDER_SETTINGS_UNDO,
  RECORDING_KIND,
  RECORDING_UNDO,
  SERVICE_LINKED_ROLE_CHANGE,
  SERVICE_LINKED_ROLE_KIND,
  SERVICE_LINKED_ROLE_UNDO,
  recorderSettings,
  recorderSettingsChange,
  recorderSettingsUndoer,
  recordingChange,
  recordingUndoer,
} from './config-undo';
import { sdk } from '../sdk';

const NAME = 'config_enable';
const RECORDER = 'default';
/** AWS Config's service-linked role: AWS keeps its permissions right, nothing for cloudmend to write. */
const SLR_PATH = 'aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig';

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on AWS Config: a recorder for all resource types and a delivery channel to a bucket',
    description:
      'Compliant when a configuration recorder is recording. A stopped recorder with a delivery channel is started. Otherwise ' +
      `puts the recorder \`${RECORDER}\` recording all supported resource types, global ones (IAM) only in \`global_region\` so ` +
      'they are recorded once, with the AWS Config service-linked role (created if the account has none), and a delivery ' +
      `channel to \`bucket\` when given (its policy must already let ${CONFIG_SERVICE} write: the bot does not touch a ` +
      `bucket it did not create), else to ${configBucketName('<account>', '<region>')}, created once with public access ` +
      'blocked, TLS-only, and a policy letting AWS Config deliver only for this account. Recording is billed per item recorded. ' +
      'Undo stops a recorder that existed before again and puts back the settings it had; a recorder, channel, service-linked ' +
      'role or bucket the bot created is kept (removing them would end the configuration history they record).',
    resourceTypes: ['AWS::::Account'],
    remediates: { securityHub: ['Config.1', 'CIS.2.5', 'PCI.Config.1'] },
    params: z.strictObject({
      bucket: z
        .string()
        .regex(BUCKET_NAME, 'an S3 bucket name')
        .optional()
        .describe('deliver to this existing bucket; default: a bucket the bot creates'),
      global_region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a Region name such as us-east-1')
        .default('us-east-1')
        .describe('the one Region that records global resource types (IAM)'),
    }),
    permissions: [
      {
        actions: [
          'config:DescribeConfigurationRecorders',
          'config:DescribeConfigurationRecorderStatus',
          'config:PutConfigurationRecorder',
          'config:StartConfigurationRecorder',
        ],
        // A recorder's ARN ends in its name and an id AWS assigns: any recorder of the account and Region.
        resources: ['arn:{partition}:config:{region}:{account}:configuration-recorder/*/*'],
        reason: 'read the recorder and its status, put the recorder and start it',
      },
      {
        actions: ['config:DescribeDeliveryChannels'],
        resources: ['*'],
        reason: 'read the delivery channel (no resource-level permissions)',
      },
      {
        actions: ['config:PutDeliveryChannel'],
        resources: ['*'],
        reason: 'put the delivery channel (no resource-level permissions)',
      },
      {
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [`arn:{partition}:iam::{account}:role/${SLR_PATH}`],
        conditions: { StringEquals: { 'iam:AWSServiceName': CONFIG_SERVICE } },
        reason: 'create the AWS Config service-linked role when the account has none',
        global: true,
      },
      {
        actions: ['iam:GetRole'],
        // The role's fixed name under any path: a read, and what the request names (its name) fits either way.
        resources: ['arn:{partition}:iam::{account}:role/*AWSServiceRoleForConfig'],
        reason: 'find the AWS Config service-linked role',
        global: true,
      },
      {
        actions: ['iam:PassRole'],
        resources: [`arn:{partition}:iam::{account}:role/${SLR_PATH}`],
        conditions: { StringEquals: { 'iam:PassedToService': CONFIG_SERVICE } },
        reason: 'hand the service-linked role to AWS Config (and to no other service)',
        global: true,
      },
      {
        actions: [
          's3:CreateBucket',
          's3:GetBucketPolicy',
          's3:GetBucketPublicAccessBlock',
          's3:ListBucket',
          's3:PutBucketPolicy',
          's3:PutBucketPublicAccessBlock',
          's3:PutBucketTagging',
        ],
        resources: ['arn:{partition}:s3:::cloudmend-config-{account}-{region}'],
        reason:
          'find (HeadBucket needs s3:ListBucket) or create the Config bucket, tag it, block public access and let AWS Config deliver to it',
      },
    ],
    undo: {
      [RECORDING_KIND]: RECORDING_UNDO,
      [RECORDER_SETTINGS_KIND]: RECORDER_SETTINGS_UNDO,
      [CONFIG_SETUP_KIND]: CONFIG_SETUP_UNDO,
      [SERVICE_LINKED_ROLE_KIND]: SERVICE_LINKED_ROLE_UNDO,
      [LOG_BUCKET_KIND]: LOG_BUCKET_UNDO,
    },
  },
  undoers: { [RECORDING_KIND]: recordingUndoer, [RECORDER_SETTINGS_KIND]: recorderSettingsUndoer },
  async run(ctx) {
    const config = await sdk.configService();
    const { IAMClient, GetRoleCommand, CreateServiceLinkedRoleCommand } = await sdk.iam();
    const { S3Client } = await sdk.s3();
    const client = ctx.client(config.ConfigServiceClient);
    const changes = new ChangeSet(ctx);

    const { ConfigurationRecorders: recorders = [] } = await client.send(new config.DescribeConfigurationRecordersCommand({}));
    const { ConfigurationRecordersStatus: statuses = [] } = await client.send(new config.DescribeConfigurationRecorderStatusCommand({}));
    const { DeliveryChannels: channels = [] } = await client.send(new config.DescribeDeliveryChannelsCommand({}));
    const recording = statuses.find((s) => s.recording);
    if (recording) return alreadyCompliant(`AWS Config recorder ${recording.name} is recording in ${ctx.region}`);

    const existing = recorders[0];
    if (existing?.name && channels.length > 0) {
      const name = existing.name;
      await changes.apply(
        {
          action: 'config:StartConfigurationRecorder',
          target: `recorder ${name}`,
          description: 'stopped recorder started',
          undo: recordingChange(name),
        },
        () => client.send(new config.StartConfigurationRecorderCommand({ ConfigurationRecorderName: name })),
      );
      return changes.result(`started the AWS Config recorder ${name} in ${ctx.region}`);
    }

    const iam = ctx.client(IAMClient);
    const roleArn = `arn:${ctx.partition}:iam::${ctx.account}:role/${SLR_PATH}`;
    const hasRole = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForConfig' })).then(
      () => true,
      (error) => {
        if (['NoSuchEntityException', 'NoSuchEntity'].includes((error as { name?: string }).name ?? '')) return false;
        throw error;
      },
    );
    if (!hasRole) {
      await changes.apply(
        {
          action: 'iam:CreateServiceLinkedRole',
          target: roleArn,
          description: 'AWS Config service-linked role created',
          undo: SERVICE_LINKED_ROLE_CHANGE,
        },
        () => iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: CONFIG_SERVICE })),
      );
    }
    const name = existing?.name ?? RECORDER;
    const global = ctx.region === ctx.params.global_region;
    const recorder = { name, roleARN: roleArn, recordingGroup: { allSupported: true, includeGlobalResourceTypes: global } };
    await changes.apply(
      {
        action: 'config:PutConfigurationRecorder',
        target: `recorder ${name}`,
        description: `recorder ${name} records all supported resource types${global ? ', global ones included' : ' (global ones are recorded in ' + ctx.params.global_region + ')'}`,
        // An existing recorder's settings are put back on undo; a recorder created now is kept.
        undo: existing ? recorderSettingsChange(recorderSettings(existing), recorderSettings(recorder)) : CONFIG_SETUP_CHANGE,
      },
      () => client.send(new config.PutConfigurationRecorderCommand({ ConfigurationRecorder: recorder })),
    );
    if (channels.length === 0) {
      const bucket =
        ctx.params.bucket ??
        (await ensureConfigBucket(
          ctx.client(S3Client),
          { partition: ctx.partition, account: ctx.account, region: ctx.region, createdBy: NAME },
          changes,
        ));
      await changes.apply(
        {
          action: 'config:PutDeliveryChannel',
          target: `delivery channel ${RECORDER}`,
          description: `delivers to s3://${bucket}`,
          undo: CONFIG_SETUP_CHANGE,
        },
        () => client.send(new config.PutDeliveryChannelCommand({ DeliveryChannel: { name: RECORDER, s3BucketName: bucket } })),
      );
    }
    await changes.apply(
      {
        action: 'config:StartConfigurationRecorder',
        target: `recorder ${name}`,
        description: 'recorder started',
        // A recorder that existed (stopped) is stopped again on undo; one created now keeps recording.
        undo: existing ? recordingChange(name) : CONFIG_SETUP_CHANGE,
      },
      () => client.send(new config.StartConfigurationRecorderCommand({ ConfigurationRecorderName: name })),
    );
    return changes.result(`turned on AWS Config in ${ctx.region}: recorder ${name} recording all supported resource types`);
  },
});
