import { CloudTrailClient, GetTrailCommand, GetTrailStatusCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketPolicyCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/cloudtrail/cloudtrail_enable';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';
import { botSession, MEMBER, memberAdmin, seedTrail } from './cloudtrail-test-support';

const resource = { type: 'AWS::::Account', id: MEMBER };

describeMoto('cloudtrail_enable against moto', () => {
  it('creates a logging multi-Region trail and its bucket in an account with only a single-Region trail, then reports already-compliant; undo keeps both', async () => {
    const admin = await memberAdmin();
    await seedTrail(admin, 'local-only', false);
    const session = await botSession(bot, MEMBER);

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const cloudtrail = admin.client(CloudTrailClient);
    const trail = (await cloudtrail.send(new GetTrailCommand({ Name: 'cloudmend-trail' }))).Trail!;
    expect(trail).toMatchObject({
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      S3BucketName: `cloudmend-cloudtrail-${MEMBER}-us-east-1`,
    });
    expect((await cloudtrail.send(new GetTrailStatusCommand({ Name: 'cloudmend-trail' }))).IsLogging).toBe(true);
    const s3 = admin.client(S3Client);
    const bucket = `cloudmend-cloudtrail-${MEMBER}-us-east-1`;
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration!.BlockPublicPolicy).toBe(
      true,
    );
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'CloudmendCloudTrailAclCheck',
      'CloudmendCloudTrailWrite',
      'CloudmendDenyInsecureTransport',
    ]);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');

    // Undo keeps the trail logging and the bucket: every change is refused as irreversible, with why.
    const undone = await undoResult(bot.meta.name, first, { account: MEMBER, region: 'us-east-1', resourceId: MEMBER });
    expect(new Set(undone.map((o) => o.status))).toEqual(new Set(['refused']));
    expect(undone.map((o) => [o.step.change.action, o.message.slice(0, 40)])).toEqual([
      ['cloudtrail:StartLogging', 'irreversible: the trail cloudmend-trail '],
      ['cloudtrail:CreateTrail', 'irreversible: the trail cloudmend-trail '],
      ...['s3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock', 's3:PutBucketTagging', 's3:CreateBucket'].map((a) => [
        a,
        'irreversible: the bucket that receives t',
      ]),
    ]);
    expect((await cloudtrail.send(new GetTrailStatusCommand({ Name: 'cloudmend-trail' }))).IsLogging).toBe(true);
  });

  it('starts a stopped multi-Region trail instead of creating another; undo stops it again', async () => {
    const admin = await memberAdmin();
    await seedTrail(admin, 'main', true);
    await admin.client(CloudTrailClient).send(new StopLoggingCommand({ Name: 'main' }));
    const session = await botSession(bot, MEMBER);

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.message).toBe('started logging on the multi-Region trail main');
    expect((await admin.client(CloudTrailClient).send(new GetTrailStatusCommand({ Name: 'main' }))).IsLogging).toBe(true);
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');

    // Undo stops it again, as it was seeded.
    const undone = await undoResult(bot.meta.name, first, { account: MEMBER, region: 'us-east-1', resourceId: MEMBER });
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    expect((await admin.client(CloudTrailClient).send(new GetTrailStatusCommand({ Name: 'main' }))).IsLogging).toBe(false);
  });
});
