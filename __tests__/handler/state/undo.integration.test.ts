/**
 * Remediate, then `cloudmend undo`, against moto: the bot runs through the
 * remediation state (which journals its changes), undo restores with the
 * member role narrowed to the undo permissions, and the resource reads back
 * equal to its seeded state. Covered: s3_block_all_public_access (public
 * access block), s3_enable_versioning (from Suspended), s3_enable_encryption
 * (default encryption) and sg_rules_delete (inbound and outbound rules);
 * sg_delete is the irreversible case.
 */
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import s3Block from '../../../bots/s3/s3_block_all_public_access';
import s3Encryption from '../../../bots/s3/s3_enable_encryption';
import s3Versioning from '../../../bots/s3/s3_enable_versioning';
import sgDelete from '../../../bots/vpc/sg_delete';
import sgRulesDelete from '../../../bots/vpc/sg_rules_delete';
import { ruleState, sortedRules } from '../../../bots/vpc/security-group-undo';
import { undo } from '../../../cli/undo';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, remediate, UNDO_TABLE as TABLE, undoArgs, undoIo } from '../../support/undo-through-session';
import { createStateTable } from './support';

async function readPublicAccessBlock(s3: S3Client, bucket: string) {
  try {
    return (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
  } catch (error) {
    if ((error as Error).name === 'NoSuchPublicAccessBlockConfiguration') return 'none';
    throw error;
  }
}

async function readRules(ec2: EC2Client, groupId: string) {
  const { SecurityGroupRules } = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return sortedRules((SecurityGroupRules ?? []).map(ruleState));
}

describeMoto('remediate, then undo, against moto', () => {
  let s3: S3Client;
  let ec2: EC2Client;
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
    const session = await memberSession(MEMBER, REGION);
    s3 = session.client(S3Client);
    ec2 = session.client(EC2Client);
  });

  it.each([
    ['no public access block', undefined],
    [
      'a partial public access block',
      { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    ],
  ])('s3_block_all_public_access on a bucket with %s: undo puts it back as seeded', async (_label, seeded) => {
    const bucket = `undo-${seeded ? 'partial' : 'none'}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (seeded) await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: seeded }));
    const before = await readPublicAccessBlock(s3, bucket);

    const outcome = await remediate(s3Block, 'AWS::S3::Bucket', bucket);
    expect(outcome.result?.status).toBe('remediated');
    expect(await readPublicAccessBlock(s3, bucket)).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });

    const { printed, io: quiet } = undoIo();
    expect(await undo(undoArgs({ resultId: outcome.resultId! }), quiet)).toBe(0);
    expect(await readPublicAccessBlock(s3, bucket)).toEqual(before);
    expect(printed.join('')).toContain(`restored: s3:PutBucketPublicAccessBlock on arn:aws:s3:::${bucket}`);

    // Once undone, never twice.
    const again = undoIo();
    expect(await undo(undoArgs({ resultId: outcome.resultId! }), again.io)).toBe(1);
    expect(again.printed.join('')).toMatch(/REFUSED, already undone at /);
  });

  it('s3_enable_versioning on a bucket whose versioning was suspended: undo suspends it again', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-versioning' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'undo-versioning', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'undo-versioning', VersioningConfiguration: { Status: 'Suspended' } }));

    const outcome = await remediate(s3Versioning, 'AWS::S3::Bucket', 'undo-versioning');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'undo-versioning' }))).Status).toBe('Enabled');

    expect(await undo(undoArgs({ resultId: outcome.resultId! }), undoIo().io)).toBe(0);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'undo-versioning' }))).Status).toBe('Suspended');
  });

  it('s3_enable_encryption with a KMS key: undo puts the default encryption back as seeded', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-encryption' }));
    const readRules = async () => {
      try {
        return (await s3.send(new GetBucketEncryptionCommand({ Bucket: 'undo-encryption' }))).ServerSideEncryptionConfiguration?.Rules;
      } catch (error) {
        if ((error as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return 'none';
        throw error;
      }
    };
    const seeded = await readRules();
    const key = (await (await memberSession(MEMBER, REGION)).client(KMSClient).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;

    const outcome = await remediate(s3Encryption, 'AWS::S3::Bucket', 'undo-encryption', { encryption_type: 'kms', kms_key_arn: key });
    expect(outcome.result?.status).toBe('remediated');
    expect(await readRules()).toEqual([
      expect.objectContaining({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key } }),
    ]);

    const { printed, io: quiet } = undoIo();
    expect(await undo(undoArgs({ resultId: outcome.resultId! }), quiet)).toBe(0);
    expect(printed.join('')).toContain('restored: s3:PutEncryptionConfiguration');
    expect(await readRules()).toEqual(seeded);
  });

  it('sg_rules_delete: undo authorizes the removed inbound and outbound rules again, equal to the seeded ones', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        ],
      }),
    );
    const seeded = await readRules(ec2, groupId);
    expect(seeded.length).toBe(3); // two inbound, the default outbound

    const outcome = await remediate(sgRulesDelete, 'AWS::EC2::SecurityGroup', groupId);
    expect(outcome.result?.status).toBe('remediated');
    expect(await readRules(ec2, groupId)).toEqual([]);

    const { printed, io: quiet } = undoIo();
    expect(await undo(undoArgs({ findingId: `f-${groupId}` }), quiet)).toBe(0);
    expect(printed.join('')).toContain('authorizes the removed outbound rules again');
    expect(await readRules(ec2, groupId)).toEqual(seeded);
  });

  it('refuses, changing nothing, when the resource changed after the remediation', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-drifted' }));
    const outcome = await remediate(s3Block, 'AWS::S3::Bucket', 'undo-drifted');
    const someoneElse = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'undo-drifted', PublicAccessBlockConfiguration: someoneElse }));

    const { printed, io: quiet } = undoIo();
    expect(await undo(undoArgs({ account: MEMBER, since: new Date(Date.now() - 60_000) }), quiet)).toBe(1);
    expect(printed.join('')).toMatch(
      /refused: s3:PutBucketPublicAccessBlock on arn:aws:s3:::undo-drifted: the resource changed after the remediation/,
    );
    expect(await readPublicAccessBlock(s3, 'undo-drifted')).toEqual(someoneElse);
    expect(outcome.resultId).toBeDefined();
  });

  it('refuses an irreversible change (a deleted security group), an expired record and an unknown result id', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'unused', Description: 'unused', VpcId: vpcId }))).GroupId!;
    const deleted = await remediate(sgDelete, 'AWS::EC2::SecurityGroup', groupId);
    expect(deleted.result?.status).toBe('remediated');

    const irreversible = undoIo();
    expect(await undo(undoArgs({ resultId: deleted.resultId! }), irreversible.io)).toBe(1);
    expect(irreversible.printed.join('')).toContain('REFUSED, irreversible: a deleted security group cannot be brought back');
    expect(irreversible.printed.join('')).toContain('nothing can be undone; nothing changed');
    await expect(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).rejects.toMatchObject({
      name: 'InvalidGroup.NotFound',
    });

    await s3.send(new CreateBucketCommand({ Bucket: 'undo-expired' }));
    const old = await remediate(s3Block, 'AWS::S3::Bucket', 'undo-expired');
    const expired = undoIo(new Date(Date.now() + 31 * 86400_000));
    expect(await undo(undoArgs({ resultId: old.resultId! }), expired.io)).toBe(1);
    expect(expired.printed.join('')).toMatch(/REFUSED, its change record expired \(kept 30 days after /);
    expect(await readPublicAccessBlock(s3, 'undo-expired')).toMatchObject({ BlockPublicAcls: true });

    const unknown = undoIo();
    expect(await undo(undoArgs({ resultId: '00000000-0000-0000-0000-000000000000' }), unknown.io)).toBe(1);
    expect(unknown.printed.join('')).toBe(
      'no change record for result 00000000-0000-0000-0000-000000000000 in cloudmend-state-us-east-1 (us-east-1): an unknown id, a result that changed nothing, or one recorded in another region; records are kept 30 days\n',
    );
  });
});
