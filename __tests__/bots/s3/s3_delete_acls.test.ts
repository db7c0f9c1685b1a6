import { mockClient } from 'aws-sdk-client-mock';
import { GetBucketAclCommand, GetBucketOwnershipControlsCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_delete_acls';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const bucket = { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::shared-bucket' };
const owner = { ID: 'owner-canonical-id', DisplayName: 'owner' };
const ownerFull = { Grantee: { Type: 'CanonicalUser' as const, ID: owner.ID }, Permission: 'FULL_CONTROL' as const };
const allUsersRead = {
  Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
  Permission: 'READ' as const,
};

describe('s3_delete_acls', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    s3.reset();
    s3.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError'));
  });
  afterAll(() => s3.restore());

  it('replaces an ACL granting AllUsers with the private one, named by bucket ARN, touching nothing else', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, allUsersRead] });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketAclCommand)[0]!.args[0].input).toEqual({ Bucket: 'shared-bucket' });
    expect(s3.commandCalls(PutBucketAclCommand)[0]!.args[0].input).toEqual({ Bucket: 'shared-bucket', ACL: 'private' });
    expect(s3.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'GetBucketOwnershipControlsCommand',
      'GetBucketAclCommand',
      'PutBucketAclCommand',
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: 'reset the ACL of shared-bucket: ACL made private, removing AllUsers (anyone) READ',
      changes: [
        {
          action: 's3:PutBucketAcl',
          target: 'arn:aws:s3:::shared-bucket',
          description: 'ACL granted AllUsers (anyone) READ -> private',
          applied: true,
          undo: {
            kind: 'bucket-acl',
            before: {
              owner: 'owner-canonical-id',
              grants: [
                { type: 'CanonicalUser', id: 'owner-canonical-id', permission: 'FULL_CONTROL' },
                { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' },
              ],
            },
            after: {
              owner: 'owner-canonical-id',
              grants: [{ type: 'CanonicalUser', id: 'owner-canonical-id', permission: 'FULL_CONTROL' }],
            },
          },
        },
      ],
    });
  });

  it('reports already-compliant for an owner-only ACL', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull] });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('already-compliant');
    expect(result.message).toBe('the ACL of shared-bucket is already private: ACL grants only the owner');
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
  });

  it('never reads or writes the ACL of a bucket whose ACLs are disabled', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    const result = await bot.run(botContext(bot, { resource: bucket }));
    expect(result.status).toBe('already-compliant');
    expect(s3.commandCalls(GetBucketAclCommand)).toHaveLength(0);
  });

  it('in dry run reports the ACL change and makes none', async () => {
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, allUsersRead] });
    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([['s3:PutBucketAcl', false]]);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
  });

  it('refuses a resource id that is not a bucket', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::b/key.txt' } }))).rejects.toThrow(
      's3_delete_acls: "arn:aws:s3:::b/key.txt" is not an S3 bucket name or bucket ARN',
    );
  });
});
