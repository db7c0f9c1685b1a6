import { CloudTrailClient, CreateTrailCommand, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import bot from '../../../bots/cloudtrail/cloudtrail_enable_log_file_validation';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

const account = '222222222222';

describeMoto('cloudtrail_enable_log_file_validation against moto', () => {
  async function seedTrail(name: string, multiRegion: boolean): Promise<string> {
    const admin = await memberSession(account);
    await admin.client(S3Client).send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
    const created = await admin
      .client(CloudTrailClient)
      .send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: multiRegion }));
    return created.TrailARN!;
  }

  async function validationOf(name: string): Promise<boolean | undefined> {
    const admin = await memberSession(account);
    return (await admin.client(CloudTrailClient).send(new GetTrailCommand({ Name: name }))).Trail?.LogFileValidationEnabled;
  }

  it('turns on validation of a trail in a member account, then reports already-compliant', async () => {
    await seedTrail('member-trail', false);
    const session = await memberSession(
      account,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'us-east-1', resourceId: 'member-trail' }),
    );
    const resource = { type: 'AWS::CloudTrail::Trail', id: 'member-trail' };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(await validationOf('member-trail')).toBe(true);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });

  // moto gap: moto 5.2.1 does not answer GetTrail for a multi-Region trail outside its home Region
  // (real CloudTrail returns the shadow trail with HomeRegion), so this finding names the trail by ARN.
  it('updates a multi-Region trail in its home Region for a finding from another Region', async () => {
    const arn = await seedTrail('org-wide', true);
    const session = await memberSession(
      account,
      'eu-west-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account, region: 'eu-west-1', resourceId: arn }),
    );
    const resource = { type: 'AWS::CloudTrail::Trail', id: arn };

    const first = await bot.run(botContext(bot, { resource, client: session.client, finding: { region: 'eu-west-1' } }));
    expect(first.status).toBe('remediated');
    expect(await validationOf('org-wide')).toBe(true);

    const second = await bot.run(botContext(bot, { resource, client: session.client, finding: { region: 'eu-west-1' } }));
    expect(second.status).toBe('already-compliant');
  });
});
