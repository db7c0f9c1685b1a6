import { CreateBucketCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_block_all_public_access';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

describeMoto('s3_block_all_public_access against moto', () => {
  it('blocks public access on a member bucket with a partial block, then reports already-compliant', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-bucket' }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'member-bucket', PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));

    const session = await botSession(bot, 'member-bucket');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-bucket' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const after = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'member-bucket' }));
    expect(after.PublicAccessBlockConfiguration).toEqual(allOn);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
