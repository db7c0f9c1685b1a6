import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_only_allow_ssl';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin } from './s3-test-support';
import { ours, readerGrant, keepBucket } from './s3_only_allow_ssl.fixtures';

describeMoto('s3_only_allow_ssl against moto', () => {
  it('adds the deny to a multi-statement member policy without touching the others, then reports already-compliant', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-data' }));
    const memberArn = 'arn:aws:s3:::member-data';
    const existing = [
      { ...readerGrant, Resource: `${memberArn}/*` },
      { ...keepBucket, Resource: memberArn },
    ];
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'member-data', Policy: JSON.stringify({ Version: '2012-10-17', Statement: existing }) }),
    );

    const session = await botSession(bot, 'member-data');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-data' };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const after = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'member-data' }))).Policy!);
    expect(after.Statement).toEqual([...existing, { ...ours, Resource: [memberArn, `${memberArn}/*`] }]);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  it('creates the policy on a member bucket that has none', async () => {
    const admin = await memberAdmin();
    const s3 = admin.client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'member-bare' }));

    const session = await botSession(bot, 'member-bare');
    const resource = { type: 'AWS::S3::Bucket', id: 'member-bare' };
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('remediated');

    const after = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'member-bare' }))).Policy!);
    expect(after.Statement).toEqual([{ ...ours, Resource: ['arn:aws:s3:::member-bare', 'arn:aws:s3:::member-bare/*'] }]);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');
  });
});
