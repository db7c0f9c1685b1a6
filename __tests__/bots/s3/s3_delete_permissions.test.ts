import { mockClient } from 'aws-sdk-client-mock';
import {
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  PutBucketAclCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_delete_permissions';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const bucket = { type: 'AWS::S3::Bucket', id: 'shared-bucket' };
const owner = { ID: 'owner-canonical-id' };
const ownerFull = { Grantee: { Type: 'CanonicalUser' as const, ID: owner.ID }, Permission: 'FULL_CONTROL' as const };
const otherAccountRead = { Grantee: { Type: 'CanonicalUser' as const, ID: 'other-canonical-id' }, Permission: 'READ' as const };
const policy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Partner',
      Effect: 'Allow',
      Principal: { AWS: '333333333333' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::shared-bucket/*',
    },
  ],
};

describe('s3_delete_permissions', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    s3.reset();
    s3.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError'));
  });
  afterAll(() => s3.restore());

  it('is destructive, so it runs only when opted in', () => {
    expect(bot.meta.destructive).toBe(true);
  });

  it('makes the ACL private and deletes the policy, reporting the policy it deleted', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, otherAccountRead] });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(policy) });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(PutBucketAclCommand)[0]!.args[0].input).toEqual({ Bucket: 'shared-bucket', ACL: 'private' });
    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.args[0].input).toEqual({ Bucket: 'shared-bucket' });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)[0]!.args[0].input).toEqual({ Bucket: 'shared-bucket' });
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(
      'removed the permissions of shared-bucket: ACL made private, removing canonical user other-canonical-id READ; bucket policy with 1 statement(s) deleted',
    );
    expect(result.changes[1]).toEqual({
      action: 's3:DeleteBucketPolicy',
      target: 'arn:aws:s3:::shared-bucket',
      description: `bucket policy with 1 statement(s) deleted; it was: ${JSON.stringify(policy)}`,
      applied: true,
      undo: { kind: 'bucket-policy', before: policy, after: null },
    });
  });

  it('deletes the policy even when the ACL is already private', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull] });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(result.changes.map((c) => c.action)).toEqual(['s3:DeleteBucketPolicy']);
  });

  it('reports already-compliant with a private ACL and no policy', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull] });
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy'));
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'shared-bucket grants nothing beyond its owner: ACL grants only the owner, no bucket policy',
      changes: [],
    });
  });

  it('in dry run reads everything and changes nothing', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, otherAccountRead] });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['s3:PutBucketAcl', false],
      ['s3:DeleteBucketPolicy', false],
    ]);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
  });
});
