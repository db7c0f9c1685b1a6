/**
 * Remediate, then `cloudmend undo`, against moto, for the S3 bots whose
 * changes are reversible: each bucket reads back equal to its seeded state
 * (bucket policy, ACL, public access block, server access logging). The
 * bucket cloudmend creates for access logs is left (irreversible, with why),
 * and a deleted bucket is refused.
 */
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import s3DeleteAcls from '../../../bots/s3/s3_delete_acls';
import s3DeleteBucket from '../../../bots/s3/s3_delete_bucket';
import s3DeletePermissions from '../../../bots/s3/s3_delete_permissions';
import s3EnableLogging from '../../../bots/s3/s3_enable_logging';
import s3OnlyAllowSsl from '../../../bots/s3/s3_only_allow_ssl';
import s3RemoveCrossAccount from '../../../bots/s3/s3_remove_cross_account_principals';
import s3RemovePublicAccess from '../../../bots/s3/s3_remove_public_access';
import { aclState } from '../../../bots/s3/s3-undo';
import { describeMoto, memberSession } from '../../support/moto';
import { createStateTable } from './support';
import { MEMBER, REGION, remediate, TABLE, undoResult } from './undo-support';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const OTHER_CANONICAL = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

describeMoto('S3: remediate, then undo, against moto', () => {
  let s3: S3Client;
  beforeEach(async () => {
    await createStateTable(TABLE, REGION);
    s3 = (await memberSession(MEMBER, REGION)).client(S3Client);
  });

  const policyOf = async (bucket: string) => {
    try {
      return JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? 'null') as unknown;
    } catch (error) {
      if ((error as Error).name === 'NoSuchBucketPolicy') return 'none';
      throw error;
    }
  };
  const aclOf = async (bucket: string) => {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    return aclState(acl.Owner?.ID, acl.Grants ?? []);
  };
  async function bucketWithPublicReadAcl(bucket: string, extra: 'other-account' | 'all-users') {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { Owner } = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    const grantee =
      extra === 'all-users' ? { Type: 'Group' as const, URI: ALL_USERS } : { Type: 'CanonicalUser' as const, ID: OTHER_CANONICAL };
    await s3.send(
      new PutBucketAclCommand({
        Bucket: bucket,
        AccessControlPolicy: {
          Owner,
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: Owner!.ID! }, Permission: 'FULL_CONTROL' },
            { Grantee: grantee, Permission: 'READ' },
          ],
        },
      }),
    );
  }
  const crossAccountPolicy = (bucket: string) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Mine',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${MEMBER}:root` },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
      {
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::333333333333:root' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  });

  it.each([
    ['no bucket policy', undefined],
    ['a bucket policy of its own', (bucket: string) => crossAccountPolicy(bucket)],
  ])('s3_only_allow_ssl on a bucket with %s: undo puts the policy back as seeded', async (_label, seed) => {
    const bucket = `undo-ssl-${seed ? 'policy' : 'none'}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (seed) await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(seed(bucket)) }));
    const seeded = await policyOf(bucket);

    const outcome = await remediate(s3OnlyAllowSsl, 'AWS::S3::Bucket', bucket);
    expect(outcome.result?.status).toBe('remediated');
    expect(JSON.stringify(await policyOf(bucket))).toContain('aws:SecureTransport');

    const { code, text } = await undoResult(outcome);
    expect(text).toContain(`restored: s3:PutBucketPolicy on arn:aws:s3:::${bucket}`);
    expect(code).toBe(0);
    expect(await policyOf(bucket)).toEqual(seeded);
  });

  it('s3_remove_cross_account_principals: undo puts the foreign principal back', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-cross' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'undo-cross', Policy: JSON.stringify(crossAccountPolicy('undo-cross')) }));
    const seeded = await policyOf('undo-cross');

    const outcome = await remediate(s3RemoveCrossAccount, 'AWS::S3::Bucket', 'undo-cross');
    expect(outcome.result?.status).toBe('remediated');
    expect(JSON.stringify(await policyOf('undo-cross'))).not.toContain('333333333333');

    expect((await undoResult(outcome)).code).toBe(0);
    expect(await policyOf('undo-cross')).toEqual(seeded);
  });

  it('s3_delete_permissions: undo puts back the ACL grant and the deleted bucket policy', async () => {
    await bucketWithPublicReadAcl('undo-perms', 'other-account');
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'undo-perms', Policy: JSON.stringify(crossAccountPolicy('undo-perms')) }));
    const [acl, policy] = [await aclOf('undo-perms'), await policyOf('undo-perms')];

    const outcome = await remediate(s3DeletePermissions, 'AWS::S3::Bucket', 'undo-perms');
    expect(outcome.result?.status).toBe('remediated');
    expect(await policyOf('undo-perms')).toBe('none');
    expect((await aclOf('undo-perms')).grants).toHaveLength(1);

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: s3:DeleteBucketPolicy');
    expect(text).toContain('restored: s3:PutBucketAcl');
    expect(code).toBe(0);
    expect(await aclOf('undo-perms')).toEqual(acl);
    expect(await policyOf('undo-perms')).toEqual(policy);
  });

  it('s3_delete_acls: undo puts the public grant back', async () => {
    await bucketWithPublicReadAcl('undo-acls', 'all-users');
    const seeded = await aclOf('undo-acls');
    const outcome = await remediate(s3DeleteAcls, 'AWS::S3::Bucket', 'undo-acls');
    expect(outcome.result?.status).toBe('remediated');
    expect(await aclOf('undo-acls')).not.toEqual(seeded);

    expect((await undoResult(outcome)).code).toBe(0);
    expect(await aclOf('undo-acls')).toEqual(seeded);
  });

  it('s3_remove_public_access: undo removes the public access block and puts the ACL back', async () => {
    await bucketWithPublicReadAcl('undo-public', 'all-users');
    const seeded = await aclOf('undo-public');
    const outcome = await remediate(s3RemovePublicAccess, 'AWS::S3::Bucket', 'undo-public');
    expect(outcome.result?.changes.map((c) => c.action)).toEqual(['s3:PutBucketPublicAccessBlock', 's3:PutBucketAcl']);

    const { code, text } = await undoResult(outcome);
    expect(code).toBe(0);
    // Newest first: the ACL, then the public access block.
    expect(text.indexOf('restored: s3:PutBucketAcl')).toBeLessThan(text.indexOf('restored: s3:PutBucketPublicAccessBlock'));
    expect(await aclOf('undo-public')).toEqual(seeded);
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'undo-public' }))).rejects.toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
    });
  });

  it('s3_enable_logging into a given bucket: undo turns logging off again', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-logged' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-log-target' }));
    const logging = {
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::undo-log-target/*',
    };
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'undo-log-target', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [logging] }) }),
    );
    const outcome = await remediate(s3EnableLogging, 'AWS::S3::Bucket', 'undo-logged', { target_bucket: 'undo-log-target' });
    expect(outcome.error).toBeUndefined();
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'undo-logged' }))).LoggingEnabled?.TargetBucket).toBe('undo-log-target');

    expect((await undoResult(outcome)).code).toBe(0);
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'undo-logged' }))).LoggingEnabled).toBeUndefined();
  });

  it('s3_enable_logging into the access log bucket it created: undo turns logging off and leaves that bucket, saying why', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-logged-default' }));
    const outcome = await remediate(s3EnableLogging, 'AWS::S3::Bucket', 'undo-logged-default');
    expect(outcome.result?.status).toBe('remediated');

    const { code, text } = await undoResult(outcome);
    expect(text).toContain('restored: s3:PutBucketLogging');
    expect(text).toContain(
      's3:CreateBucket on arn:aws:s3:::cloudmend-s3-access-logs-222222222222-us-east-1: REFUSED, irreversible: the bucket that receives the logs',
    );
    expect(code).toBe(1);
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'undo-logged-default' }))).LoggingEnabled).toBeUndefined();
    await s3.send(new HeadBucketCommand({ Bucket: 'cloudmend-s3-access-logs-222222222222-us-east-1' }));
  });

  it('s3_delete_bucket: undo refuses, the bucket is gone for good', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'undo-deleted' }));
    const outcome = await remediate(s3DeleteBucket, 'AWS::S3::Bucket', 'undo-deleted');
    expect(outcome.result?.status).toBe('remediated');
    const { code, text } = await undoResult(outcome);
    expect(code).toBe(1);
    expect(text).toContain('REFUSED, irreversible: a deleted bucket cannot be brought back');
  });
});
