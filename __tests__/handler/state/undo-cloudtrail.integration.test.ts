/**
 * Remediate, then `cloudmend undo`, against moto, for the CloudTrail bots that
 * update a trail: log file validation, the log files' KMS key and CloudWatch
 * Logs delivery read back as seeded. The delivery role and log group (and a
 * key cloudmend creates) are left, each refused saying why.
 */
import { CloudTrailClient, CreateTrailCommand, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import cloudtrailValidation from '../../../bots/cloudtrail/cloudtrail_enable_log_file_validation';
import cloudtrailExistingKey from '../../../bots/cloudtrail/cloudtrail_encrypt_log_files_using_existing_key';
import cloudtrailSendToCloudWatch from '../../../bots/cloudtrail/cloudtrail_send_to_cloudwatch';
import { describeMoto, memberSession } from '../../support/moto';
import { createStateTable } from './support';
import { MEMBER, REGION, remediate, TABLE, undoResult } from './undo-support';

describeMoto('CloudTrail: remediate, then undo, against moto', () => {
  let cloudtrail: CloudTrailClient;
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
    cloudtrail = (await memberSession(MEMBER, REGION)).client(CloudTrailClient);
  });

  async function seedTrail(name: string) {
    const session = await memberSession(MEMBER, REGION);
    await session.client(S3Client).send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
    return (await cloudtrail.send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs` }))).TrailARN!;
  }
  const read = async (name: string) => (await cloudtrail.send(new GetTrailCommand({ Name: name }))).Trail!;
  const settings = async (name: string) => {
    const t = await read(name);
    return {
      LogFileValidationEnabled: t.LogFileValidationEnabled ?? false,
      KmsKeyId: t.KmsKeyId || null,
      CloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn || null,
      CloudWatchLogsRoleArn: t.CloudWatchLogsRoleArn || null,
    };
  };

  it('cloudtrail_enable_log_file_validation: undo turns validation off again', async () => {
    const arn = await seedTrail('undo-validation');
    const seeded = await settings('undo-validation');
    const outcome = await remediate(cloudtrailValidation, 'AWS::CloudTrail::Trail', arn);
    expect((await read('undo-validation')).LogFileValidationEnabled).toBe(true);

    expect((await undoResult(outcome)).code).toBe(0);
    expect(await settings('undo-validation')).toEqual(seeded);
  });

  it('cloudtrail_encrypt_log_files_using_existing_key: undo goes back to SSE-S3', async () => {
    const arn = await seedTrail('undo-encryption');
    const seeded = await settings('undo-encryption');
    const key = (await (await memberSession(MEMBER, REGION)).client(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const outcome = await remediate(cloudtrailExistingKey, 'AWS::CloudTrail::Trail', arn, { kms_key_arn: key });
    expect((await read('undo-encryption')).KmsKeyId).toBe(key);

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: cloudtrail:UpdateTrail');
    expect(code).toBe(0);
    expect(await settings('undo-encryption')).toEqual(seeded);
  });

  it('cloudtrail_send_to_cloudwatch: undo stops the delivery and leaves the log group and role, saying why', async () => {
    const arn = await seedTrail('undo-delivery');
    const seeded = await settings('undo-delivery');
    const outcome = await remediate(cloudtrailSendToCloudWatch, 'AWS::CloudTrail::Trail', arn);
    expect(outcome.result?.status).toBe('remediated');
    expect((await read('undo-delivery')).CloudWatchLogsLogGroupArn).toBeTruthy();

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: cloudtrail:UpdateTrail');
    expect(text).toContain('REFUSED, irreversible: the CloudWatch Logs group and the role CloudTrail delivers through are left');
    expect(code).toBe(1);
    expect(await settings('undo-delivery')).toEqual(seeded);
  });
});
