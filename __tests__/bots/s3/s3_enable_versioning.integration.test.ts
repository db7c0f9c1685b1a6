import { CreateBucketCommand, GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_enable_versioning';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('s3_enable_versioning against moto', () => {
  it('fixes a bucket in a member account, then reports already-compliant', async () => {
    const admin = await memberSession('222222222222');
    await admin.client(S3Client).send(new CreateBucketCommand({ Bucket: 'member-bucket' }));

    const session = await memberSession(
      '222222222222',
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account: '222222222222', region: 'us-east-1', resourceId: 'member-bucket' }),
    );
    const resource = { type: 'AWS::S3::Bucket', id: 'member-bucket' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const after = await admin.client(S3Client).send(new GetBucketVersioningCommand({ Bucket: 'member-bucket' }));
    expect(after.Status).toBe('Enabled');

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
