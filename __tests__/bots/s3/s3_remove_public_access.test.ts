import { mockClient } from 'aws-sdk-client-mock';
import {
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_remove_public_access';
import { botContext } from '../../support/bot-context';
import { s3Error } from './s3-test-support';

const bucket = { type: 'AWS::S3::Bucket', id: 'web-bucket' };
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const owner = { ID: 'owner-canonical-id', DisplayName: 'owner' };
const ownerFull = { Grantee: { Type: 'CanonicalUser' as const, ID: owner.ID }, Permission: 'FULL_CONTROL' as const };
const allUsersRead = {
  Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
  Permission: 'READ' as const,
};
const authenticatedWrite = {
  Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' },
  Permission: 'WRITE' as const,
};
const logDeliveryWrite = {
  Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
  Permission: 'WRITE' as const,
};
const otherAccountRead = { Grantee: { Type: 'CanonicalUser' as const, ID: 'other-canonical-id' }, Permission: 'READ' as const };

describe('s3_remove_public_access', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => {
    s3.reset();
    s3.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError'));
  });
  afterAll(() => s3.restore());

  it('blocks public access, then replaces a public-read ACL with the private one', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration'));
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, allUsersRead] });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketOwnershipControlsCommand)[0]!.args[0].input).toEqual({ Bucket: 'web-bucket' });
    expect(s3.commandCalls(GetBucketAclCommand)[0]!.args[0].input).toEqual({ Bucket: 'web-bucket' });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input).toEqual({
      Bucket: 'web-bucket',
      PublicAccessBlockConfiguration: allOn,
    });
    expect(s3.commandCalls(PutBucketAclCommand)[0]!.args[0].input).toEqual({ Bucket: 'web-bucket', ACL: 'private' });
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 's3:PutBucketPublicAccessBlock', target: 'arn:aws:s3:::web-bucket', applied: true }),
      {
        action: 's3:PutBucketAcl',
        target: 'arn:aws:s3:::web-bucket',
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
          after: { owner: 'owner-canonical-id', grants: [{ type: 'CanonicalUser', id: 'owner-canonical-id', permission: 'FULL_CONTROL' }] },
        },
      },
    ]);
    expect(result.message).toBe(
      'removed public access from web-bucket: turned on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets; ' +
        'ACL made private, removing AllUsers (anyone) READ',
    );
  });

  it('removes grants to authenticated users and other accounts even when public access is already blocked', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, authenticatedWrite, otherAccountRead] });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketAclCommand)[0]!.args[0].input).toEqual({ Bucket: 'web-bucket', ACL: 'private' });
    expect(result.changes.map((c) => c.description)).toEqual([
      'ACL granted AuthenticatedUsers (any AWS account) WRITE, canonical user other-canonical-id READ -> private',
    ]);
  });

  it('keeps S3 log delivery grants, so access logging into the bucket keeps working', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, allUsersRead, logDeliveryWrite] });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(PutBucketAclCommand)[0]!.args[0].input).toEqual({
      Bucket: 'web-bucket',
      AccessControlPolicy: { Owner: owner, Grants: [ownerFull, logDeliveryWrite] },
    });
    expect(result.changes[0]!.description).toBe('ACL granted AllUsers (anyone) READ -> private (log delivery grants kept)');
  });

  it('treats an ACL granting only the owner and log delivery as private', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, logDeliveryWrite] });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(result).toEqual({
      status: 'already-compliant',
      message: 'web-bucket is already private: ACL grants only the owner, all four public access block settings on',
      changes: [],
    });
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('never writes an ACL on a BucketOwnerEnforced bucket (ACLs disabled), only blocks public access', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true } });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(s3.commandCalls(GetBucketAclCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(1);
    expect(result.message).toBe(
      'removed public access from web-bucket: turned on IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets; ' +
        'ACLs disabled (Object Ownership BucketOwnerEnforced)',
    );
  });

  it('reports already-compliant for a BucketOwnerEnforced bucket with all four settings on', async () => {
    s3.on(GetBucketOwnershipControlsCommand).resolves({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } });
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });

    const result = await bot.run(botContext(bot, { resource: bucket }));

    expect(result.status).toBe('already-compliant');
    expect(result.message).toBe(
      'web-bucket is already private: ACLs disabled (Object Ownership BucketOwnerEnforced), all four public access block settings on',
    );
  });

  it('in dry run reads everything, reports both writes, and makes neither', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration'));
    s3.on(GetBucketAclCommand).resolves({ Owner: owner, Grants: [ownerFull, allUsersRead] });

    const result = await bot.run(botContext(bot, { resource: bucket, dryRun: true }));

    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['s3:PutBucketPublicAccessBlock', false],
      ['s3:PutBucketAcl', false],
    ]);
    expect(s3.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketAclCommand)).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ acl: 'private' }).success).toBe(false);
  });
});
