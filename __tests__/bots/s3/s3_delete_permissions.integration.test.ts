import { CreateBucketCommand, GetBucketAclCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_delete_permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';

describeMoto('s3_delete_permissions against moto', () => {
  it('makes the ACL private and deletes the policy, then reports already-compliant', async () => {
    const s3 = (await memberAdmin()).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'open-share', ObjectOwnership: 'ObjectWriter', ACL: 'public-read' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::333333333333:root' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::open-share/*',
        },
      ],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'open-share', Policy: JSON.stringify(policy) }));

    const session = await botSession(bot, 'open-share');
    const resource = { type: 'AWS::S3::Bucket', id: 'open-share' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.changes.map((c) => c.action)).toEqual(['s3:PutBucketAcl', 's3:DeleteBucketPolicy']);

    const acl = await s3.send(new GetBucketAclCommand({ Bucket: 'open-share' }));
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner!.ID }, Permission: 'FULL_CONTROL' }]);
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'open-share' }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
