import { CreateBucketCommand, GetBucketAclCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_remove_public_access';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

describeMoto('s3_remove_public_access against moto', () => {
  it('makes a public-read member bucket private and blocked, then reports already-compliant', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'public-site', ObjectOwnership: 'ObjectWriter', ACL: 'public-read' }));

    const session = await botSession(bot, 'public-site');
    const resource = { type: 'AWS::S3::Bucket', id: 'public-site' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const acl = await s3.send(new GetBucketAclCommand({ Bucket: 'public-site' }));
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner!.ID }, Permission: 'FULL_CONTROL' }]);
    const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'public-site' }));
    expect(pab.PublicAccessBlockConfiguration).toEqual(allOn);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
