/**
 * config_enable against moto: a new recorder set up (and kept on undo); a stopped recorder started, and stopped again by
 * undo; a stopped recorder without a delivery channel given the bot's settings, and undo putting its own back. moto does
 * not enforce iam:PassRole: the undo session's role is proven by the policy simulations.
 */
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
} from '@aws-sdk/client-config-service';
import { CreateBucketCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/config/config_enable';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';

const account = '222222222222';
const resource = { type: 'AWS::::Account', id: account };

describeMoto('config_enable against moto', () => {
  it('turns on a recorder of all types with its bucket and channel, then reports already-compliant', async () => {
    const admin = await memberSession(account);
    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: account }),
    );

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const config = admin.client(ConfigServiceClient);
    const recorder = (await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders![0]!;
    expect(recorder.recordingGroup).toMatchObject({ allSupported: true, includeGlobalResourceTypes: true });
    expect(recorder.roleARN).toBe(`arn:aws:iam::${account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`);
    expect((await config.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus![0]!.recording).toBe(true);
    const channel = (await config.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels![0]!;
    expect(channel.s3BucketName).toBe(`cloudmend-config-${account}-us-east-1`);
    const policy = JSON.parse((await admin.client(S3Client).send(new GetBucketPolicyCommand({ Bucket: channel.s3BucketName! }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'CloudmendConfigAclCheck',
      'CloudmendConfigListCheck',
      'CloudmendConfigWrite',
      'CloudmendDenyInsecureTransport',
    ]);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');

    // Undo keeps what it set up (recorder recording, channel, bucket): every change refused as irreversible, with why.
    const undone = await undoResult(bot.meta.name, first, scope);
    expect(new Set(undone.map((o) => o.status))).toEqual(new Set(['refused']));
    expect(undone[0]!.message).toMatch(/^irreversible: the recorder and delivery channel cloudmend set up/);
    expect((await config.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus![0]!.recording).toBe(true);
  });

  it('starts a stopped recorder that has a channel; undo stops it again', async () => {
    const admin = await memberSession(account);
    const config = admin.client(ConfigServiceClient);
    await seedRecorder(admin, { allSupported: true, includeGlobalResourceTypes: false });
    await admin.client(S3Client).send(new CreateBucketCommand({ Bucket: 'own-config-bucket' }));
    await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'own-config-bucket' } }));

    const first = await bot.run(botContext(bot, { resource, client: (await botSession()).client }));
    expect(first.message).toBe('started the AWS Config recorder main in us-east-1');
    expect(await recording(config)).toBe(true);

    const undone = await undoResult(bot.meta.name, first, scope);
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    expect(await recording(config)).toBe(false);
  });

  it('gives a stopped recorder without a channel its settings and a channel; undo puts its own settings back and stops it', async () => {
    const admin = await memberSession(account);
    const config = admin.client(ConfigServiceClient);
    await seedRecorder(admin, { allSupported: false, resourceTypes: ['AWS::EC2::Instance', 'AWS::S3::Bucket'] });
    const seeded = (await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders![0]!;

    const first = await bot.run(botContext(bot, { resource, client: (await botSession()).client }));
    expect(first.status).toBe('remediated');
    const changed = (await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders![0]!;
    expect(changed.recordingGroup).toMatchObject({ allSupported: true, includeGlobalResourceTypes: true });
    expect(await recording(config)).toBe(true);

    const undone = await undoResult(bot.meta.name, first, scope);
    expect(undone.map((o) => [o.step.change.action, o.status])).toEqual([
      ['config:StartConfigurationRecorder', 'restored'],
      ['config:PutDeliveryChannel', 'refused'],
      ['s3:PutBucketPolicy', 'refused'],
      ['s3:PutBucketPublicAccessBlock', 'refused'],
      ['s3:PutBucketTagging', 'refused'],
      ['s3:CreateBucket', 'refused'],
      ['config:PutConfigurationRecorder', 'restored'],
      ['iam:CreateServiceLinkedRole', 'refused'],
    ]);
    expect(await recording(config)).toBe(false);
    const restored = (await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders![0]!;
    expect(restored).toEqual(seeded);
    // The channel it created stays, for a later run.
    expect((await config.send(new DescribeDeliveryChannelsCommand({}))).DeliveryChannels).toHaveLength(1);
  });
});

const scope = { account, region: 'us-east-1', resourceId: account };

function botSession() {
  return memberSession(account, 'us-east-1', sessionPolicyFor(bot.meta, { partition: 'aws', ...scope }));
}

/** A stopped recorder `main` of the account with its own role and recording group. */
async function seedRecorder(
  admin: Awaited<ReturnType<typeof memberSession>>,
  recordingGroup: { allSupported: boolean; includeGlobalResourceTypes?: boolean; resourceTypes?: string[] },
): Promise<void> {
  await admin.client(ConfigServiceClient).send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'main',
        roleARN: `arn:aws:iam::${account}:role/config-recorder`,
        recordingGroup: recordingGroup as NonNullable<
          ConstructorParameters<typeof PutConfigurationRecorderCommand>[0]['ConfigurationRecorder']
        >['recordingGroup'],
      },
    }),
  );
}

async function recording(config: ConfigServiceClient): Promise<boolean | undefined> {
  const { ConfigurationRecordersStatus = [] } = await config.send(new DescribeConfigurationRecorderStatusCommand({}));
  return ConfigurationRecordersStatus[0]?.recording;
}
