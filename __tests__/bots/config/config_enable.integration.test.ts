import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/config/config_enable';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

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
  });
});
