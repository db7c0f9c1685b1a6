/**
 * End to end through the real Lambda entry against moto: a finding from each
 * kind of source remediates a seeded resource in member account 222222222222
 * (reached by assuming the member role with the bot's session policy, as in
 * production), verified by reading the resource back. Results go to a real
 * (emulated) output topic.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { handler, resetContainer } from '../../handler';
import type { RemediationResult } from '../../handler/report';
import { fixture } from '../fixtures/load';
import { describeMoto, memberSession } from '../support/moto';
import { runtimeConfig } from './support';
import { tempDirForFile } from '../support/temp-dir';

const MEMBER = '222222222222';
const dir = tempDirForFile('cloudmend-e2e-');

describeMoto('handler end to end against moto', () => {
  let logged: string[];
  beforeEach(async () => {
    const path = join(dir, 'cloudmend.runtime.json');
    writeFileSync(
      path,
      JSON.stringify(
        runtimeConfig({
          enabledBots: ['s3_block_all_public_access', 'ec2_stop_instance', 's3_enable_versioning'],
          externalId: 'cloudmend',
          exclusionTag: { key: 'cloudmend:exclude', value: 'true' },
          mappings: {
            guardduty: { 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom': ['ec2_stop_instance'] },
            securityHub: { 'S3.8': ['s3_block_all_public_access'] },
            config: { 's3-bucket-versioning-enabled': ['s3_enable_versioning'] },
          },
        }),
      ),
    );
    process.env.CLOUDMEND_RUNTIME_CONFIG = path;
    const topic = await new SNSClient({ region: 'us-east-1' }).send(new CreateTopicCommand({ Name: 'cloudmend-results' }));
    process.env.CLOUDMEND_OUTPUT_TOPIC_ARN = topic.TopicArn!;
    resetContainer();
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CLOUDMEND_OUTPUT_TOPIC_ARN;
  });

  function results(): RemediationResult[] {
    return logged.flatMap((l) => {
      const line = JSON.parse(l) as { result?: RemediationResult };
      return line.result ? [line.result] : [];
    });
  }

  async function seedBucket(name: string): Promise<S3Client> {
    const s3 = (await memberSession(MEMBER)).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return s3;
  }

  async function expectFullyBlocked(s3: S3Client, bucket: string): Promise<void> {
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  }

  it('a CloudGuard S3 notification over SNS blocks public access on the member bucket', async () => {
    const s3 = await seedBucket('member-public-bucket');
    const message = fixture('cloudguard-s3-bucket.json');
    message.account.id = MEMBER;
    message.entity.id = message.entity.name = 'member-public-bucket';
    message.rule.complianceTags = 'AUTO: s3_block_all_public_access';
    const event = { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm1', Message: JSON.stringify(message) } }] };

    expect(await handler(event)).toEqual({ results: { remediated: 1 }, dryRun: false });
    await expectFullyBlocked(s3, 'member-public-bucket');
    expect(results()[0]).toMatchObject({
      source: 'cloudguard',
      account: MEMBER,
      region: 'us-east-1',
      bot: 's3_block_all_public_access',
      status: 'remediated',
    });

    // Idempotent: the same event again finds nothing to do.
    expect(await handler(event)).toEqual({ results: { 'already-compliant': 1 }, dryRun: false });
  });

  it('a CloudGuard notification whose copy of the tags predates the exclusion tag leaves the bucket untouched (live tags decide)', async () => {
    const s3 = await seedBucket('member-tagged-after-scan');
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'member-tagged-after-scan',
        Tagging: { TagSet: [{ Key: 'cloudmend:exclude', Value: 'true' }] },
      }),
    );
    const message = fixture('cloudguard-s3-bucket.json');
    message.account.id = MEMBER;
    message.entity.id = message.entity.name = 'member-tagged-after-scan';
    message.entity.tags = [{ key: 'team', value: 'data' }];
    message.rule.complianceTags = 'AUTO: s3_block_all_public_access';
    const event = { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm2', Message: JSON.stringify(message) } }] };

    expect(await handler(event)).toEqual({ results: { skipped: 1 }, dryRun: false });
    expect(results()[0]).toMatchObject({ status: 'skipped', errorName: 'resource-excluded' });
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'member-tagged-after-scan' }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
  });

  it('a GuardDuty EC2 finding stops the member instance', async () => {
    const ec2 = (await memberSession(MEMBER, 'eu-west-1')).client(EC2Client);
    const images = await ec2.send(new DescribeImagesCommand({}));
    const launched = await ec2.send(
      new RunInstancesCommand({ ImageId: images.Images![0]!.ImageId!, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }),
    );
    const instanceId = launched.Instances![0]!.InstanceId!;
    const event = fixture('guardduty-ec2-malicious-ip.json');
    event.detail.resource.instanceDetails.instanceId = instanceId;

    expect(await handler(event)).toEqual({ results: { remediated: 1 }, dryRun: false });
    const after = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    expect(after.Reservations![0]!.Instances![0]!.State!.Name).toMatch(/^stopp(ed|ing)$/);
    expect(results()[0]).toMatchObject({
      source: 'guardduty',
      account: MEMBER,
      region: 'eu-west-1',
      bot: 'ec2_stop_instance',
      status: 'remediated',
    });
  });

  it('a Security Hub S3.8 finding blocks public access on the member bucket', async () => {
    const s3 = await seedBucket('member-sh-bucket');
    const event = fixture('securityhub-imported-s3.8.json');
    const finding = event.detail.findings[0];
    finding.AwsAccountId = MEMBER;
    finding.Resources[0].Id = 'arn:aws:s3:::member-sh-bucket';

    expect(await handler(event)).toEqual({ results: { remediated: 1 }, dryRun: false });
    await expectFullyBlocked(s3, 'member-sh-bucket');
    expect(results()[0]).toMatchObject({
      source: 'securityhub',
      rule: 'S3.8',
      resource: { type: 'AWS::S3::Bucket', id: 'member-sh-bucket' },
      status: 'remediated',
    });
  });

  it('in dry run reads the member bucket and leaves it as it was', async () => {
    const s3 = await seedBucket('member-dry-bucket');
    const event = fixture('securityhub-imported-s3.8.json');
    event.detail.findings[0].AwsAccountId = MEMBER;
    event.detail.findings[0].Resources[0].Id = 'arn:aws:s3:::member-dry-bucket';

    expect(await handler({ dryRun: true, event })).toEqual({ results: { 'dry-run': 1 }, dryRun: true });
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'member-dry-bucket' }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
  });

  it('an AWS Config finding (no tags in it) leaves a bucket tagged for exclusion untouched and remediates an untagged one', async () => {
    const s3 = await seedBucket('member-excluded-bucket');
    await s3.send(
      new PutBucketTaggingCommand({ Bucket: 'member-excluded-bucket', Tagging: { TagSet: [{ Key: 'cloudmend:exclude', Value: 'true' }] } }),
    );
    await seedBucket('member-plain-bucket');
    const configEvent = (bucket: string) => {
      const event = fixture('config-s3-versioning.json');
      event.account = event.detail.awsAccountId = MEMBER;
      event.region = event.detail.awsRegion = 'us-east-1';
      event.detail.resourceId = event.detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier.resourceId = bucket;
      return event;
    };

    expect(await handler(configEvent('member-excluded-bucket'))).toEqual({ results: { skipped: 1 }, dryRun: false });
    expect(results()[0]).toMatchObject({
      source: 'config',
      status: 'skipped',
      errorName: 'resource-excluded',
      message:
        'AWS::S3::Bucket member-excluded-bucket carries the exclusion tag cloudmend:exclude=true (read live with s3:GetBucketTagging); nothing was changed',
    });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'member-excluded-bucket' }))).Status).toBeUndefined();

    // The tagged bucket's tags must not leak onto this one (moto answers GetResources with every tagged resource).
    expect(await handler(configEvent('member-plain-bucket'))).toEqual({ results: { remediated: 1 }, dryRun: false });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'member-plain-bucket' }))).Status).toBe('Enabled');
  });
});
