import { CreateBucketCommand, GetBucketAclCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_delete_acls';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';

describeMoto('s3_delete_acls against moto', () => {
  it('makes a public-read ACL private and leaves the bucket policy, then reports already-compliant', async () => {
    const s3 = (await memberAdmin()).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'acl-site', ObjectOwnership: 'ObjectWriter', ACL: 'public-read' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Keep', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::acl-site' }],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'acl-site', Policy: policy }));

    const session = await botSession(bot, 'acl-site');
    const resource = { type: 'AWS::S3::Bucket', id: 'acl-site' };
    const dry = await bot.run(botContext(bot, { resource, client: session.client, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect((await s3.send(new GetBucketAclCommand({ Bucket: 'acl-site' }))).Grants).toHaveLength(2);

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: 'acl-site' }));
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner!.ID }, Permission: 'FULL_CONTROL' }]);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'acl-site' }))).Policy!)).toEqual(JSON.parse(policy));

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
