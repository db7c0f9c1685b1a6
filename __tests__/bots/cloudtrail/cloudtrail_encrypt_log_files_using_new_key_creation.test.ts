import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, GetTrailCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import bot from '../../../bots/cloudtrail/cloudtrail_encrypt_log_files_using_new_key_creation';
import { cloudTrailKeyPolicy } from '../../../bots/cloudtrail/cloudtrail-key';
import { botContext } from '../../support/bot-context';

const trailArn = 'arn:aws:cloudtrail:us-east-1:222222222222:trail/audit';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = `arn:aws:kms:us-east-1:222222222222:key/${KEY_ID}`;
const resource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };
const notFound = new NotFoundException({ message: 'Alias not found (test)', $metadata: {} });

describe('cloudtrail_encrypt_log_files_using_new_key_creation', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  const kms = mockClient(KMSClient);
  beforeEach(() => {
    cloudtrail.reset();
    kms.reset();
    cloudtrail.on(GetTrailCommand).resolves({ Trail: { Name: 'audit', TrailARN: trailArn, HomeRegion: 'us-east-1' } });
  });
  afterAll(() => {
    cloudtrail.restore();
    kms.restore();
  });

  it('creates a rotating key with the CloudTrail key policy and alias, then encrypts the trail with it', async () => {
    kms.on(DescribeKeyCommand).rejects(notFound);
    kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: KEY } });

    const narrowed: unknown[] = [];
    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));

    // The trail is updated with credentials naming its home Region only.
    expect(narrowed).toEqual([{ trailRegion: ['us-east-1'] }]);

    expect(kms.commandCalls(DescribeKeyCommand)[0]!.args[0].input).toEqual({ KeyId: 'alias/cloudmend-cloudtrail' });
    expect(kms.commandCalls(CreateKeyCommand)[0]!.args[0].input).toEqual({
      Description: 'Encrypts CloudTrail log files (created by cloudmend)',
      Policy: JSON.stringify(cloudTrailKeyPolicy('aws', '222222222222')),
      Tags: [{ TagKey: 'cloudmend:created-by', TagValue: 'cloudtrail_encrypt_log_files_using_new_key_creation' }],
    });
    expect(kms.commandCalls(EnableKeyRotationCommand)[0]!.args[0].input).toEqual({ KeyId: KEY_ID });
    expect(kms.commandCalls(CreateAliasCommand)[0]!.args[0].input).toEqual({
      AliasName: 'alias/cloudmend-cloudtrail',
      TargetKeyId: KEY_ID,
    });
    expect(cloudtrail.commandCalls(UpdateTrailCommand)[0]!.args[0].input).toEqual({ Name: trailArn, KmsKeyId: KEY });
    expect(result.changes.map((c) => c.action)).toEqual([
      'kms:CreateKey',
      'kms:EnableKeyRotation',
      'kms:CreateAlias',
      'cloudtrail:UpdateTrail',
    ]);
  });

  it('lets CloudTrail encrypt only for this account’s trails', () => {
    const statements = (cloudTrailKeyPolicy('aws', '222222222222') as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements[1]).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '222222222222' },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:222222222222:trail/*' },
      },
    });
  });

  it('reuses the key a previous run created (found by alias)', async () => {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: KEY } });
    const result = await bot.run(botContext(bot, { resource }));
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
    expect(cloudtrail.commandCalls(UpdateTrailCommand)[0]!.args[0].input).toEqual({ Name: trailArn, KmsKeyId: KEY });
    expect(result.message).toBe(`trail audit now encrypts its log files with ${KEY}`);
  });

  it('reports an encrypted trail as compliant without touching KMS', async () => {
    cloudtrail.on(GetTrailCommand).resolves({ Trail: { Name: 'audit', TrailARN: trailArn, KmsKeyId: KEY } });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('already-compliant');
    expect(kms.calls()).toHaveLength(0);
  });

  it('in dry run creates nothing and updates nothing', async () => {
    kms.on(DescribeKeyCommand).rejects(notFound);
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => c.action)).toEqual([
      'kms:CreateKey',
      'kms:EnableKeyRotation',
      'kms:CreateAlias',
      'cloudtrail:UpdateTrail',
    ]);
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });
});
