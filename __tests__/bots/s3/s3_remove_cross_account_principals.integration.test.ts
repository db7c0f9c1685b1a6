import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/s3/s3_remove_cross_account_principals';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { botSession, memberAdmin, MEMBER } from './s3-test-support';

const ARN = 'arn:aws:s3:::partner-share';
const ownRead = {
  Sid: 'Own',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${MEMBER}:root` },
  Action: 's3:GetObject',
  Resource: `${ARN}/*`,
};
const partnerWrite = {
  Sid: 'Partner',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::333333333333:root' },
  Action: ['s3:PutObject', 's3:PutObjectAcl'],
  Resource: `${ARN}/*`,
};
const denyInsecure = {
  Sid: 'TlsOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

describeMoto('s3_remove_cross_account_principals against moto', () => {
  it("drops the other account's statement, keeps the others in order, then reports already-compliant", async () => {
    const s3 = (await memberAdmin()).client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'partner-share' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'partner-share',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ownRead, partnerWrite, denyInsecure] }),
      }),
    );
    const session = await botSession(bot, 'partner-share');
    const resource = { type: 'AWS::S3::Bucket', id: 'partner-share' };
    const finding = { account: MEMBER };

    const first = await bot.run(botContext(bot, { resource, client: session.client, finding }));
    expect(first.status).toBe('remediated');
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'partner-share' }))).Policy!);
    expect(policy.Statement).toEqual([ownRead, denyInsecure]);

    const second = await bot.run(botContext(bot, { resource, client: session.client, finding }));
    expect(second.status).toBe('already-compliant');
  });
});
