/**
 * Against moto: a distribution without a default root object gets index.html,
 * a second run finds it compliant, and undo clears it again. moto ignores the
 * IfMatch value (any ETag passes), so the ETag handling is carried by the unit tests.
 */
import { CloudFrontClient, CreateDistributionCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import bot from '../../../bots/cloudfront/cloudfront_set_default_root_object';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { undoResult } from '../../support/undo-through-session';

const ACCOUNT = '222222222222';
// CloudFront is global: a finding may come from any Region, the API answers from one endpoint.
const FINDING_REGION = 'eu-west-1';

describeMoto('cloudfront_set_default_root_object against moto', () => {
  it('sets index.html on a distribution without a root object, then reports already-compliant; undo clears it', async () => {
    const admin = (await memberSession(ACCOUNT, 'us-east-1')).client(CloudFrontClient);
    const created = await admin.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: 'site',
          Comment: 'site',
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [{ Id: 'site', DomainName: 'site.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }],
          },
          DefaultCacheBehavior: {
            TargetOriginId: 'site',
            ViewerProtocolPolicy: 'redirect-to-https',
            ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
            MinTTL: 0,
            TrustedSigners: { Enabled: false, Quantity: 0 },
          },
        },
      }),
    );
    const id = created.Distribution!.Id!;
    const rootObject = async () => (await admin.send(new GetDistributionConfigCommand({ Id: id }))).DistributionConfig!.DefaultRootObject;
    expect(await rootObject()).toBe('');

    const { client } = await memberSession(
      ACCOUNT,
      FINDING_REGION,
      sessionPolicyFor(bot.meta, { partition: 'aws', account: ACCOUNT, region: FINDING_REGION, resourceId: id }),
    );
    const resource = { type: 'AWS::CloudFront::Distribution', id };
    const finding = { region: FINDING_REGION };
    const first = await bot.run(botContext(bot, { resource, client, finding }));
    expect(first.status).toBe('remediated');
    expect(first.changes[0]!.target).toBe(`arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`);
    expect(await rootObject()).toBe('index.html');

    expect((await bot.run(botContext(bot, { resource, client, finding }))).status).toBe('already-compliant');

    const undone = await undoResult(bot.meta.name, first, { account: ACCOUNT, region: FINDING_REGION, resourceId: id });
    expect(undone.map((o) => o.status)).toEqual(['restored']);
    expect(await rootObject()).toBe('');
  });
});
