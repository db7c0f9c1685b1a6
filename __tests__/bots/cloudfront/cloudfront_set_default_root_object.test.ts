import { mockClient } from 'aws-sdk-client-mock';
import { CloudFrontClient, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import bot from '../../../bots/cloudfront/cloudfront_set_default_root_object';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';

const ID = 'E1A2B3C4D5E6F7';
const ARN = `arn:aws:cloudfront::222222222222:distribution/${ID}`;
const resource = { type: 'AWS::CloudFront::Distribution', id: ID };

const CONFIG = {
  CallerReference: 'site-2026',
  Comment: 'site',
  Enabled: true,
  Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'site.s3.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
  DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https' as const },
};

describe('cloudfront_set_default_root_object', () => {
  const cloudfront = mockClient(CloudFrontClient);
  beforeEach(() => cloudfront.reset());
  afterAll(() => cloudfront.restore());

  it('sets index.html by default, giving the config back as read and naming the ETag it read', async () => {
    cloudfront
      .on(GetDistributionConfigCommand)
      .resolves({ DistributionConfig: { ...CONFIG, DefaultRootObject: '' }, ETag: 'E2QWRUHEXAMPLE' });
    cloudfront.on(UpdateDistributionCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(cloudfront.commandCalls(GetDistributionConfigCommand)[0]!.args[0].input).toEqual({ Id: ID });
    expect(cloudfront.commandCalls(UpdateDistributionCommand)[0]!.args[0].input).toEqual({
      Id: ID,
      IfMatch: 'E2QWRUHEXAMPLE',
      DistributionConfig: { ...CONFIG, DefaultRootObject: 'index.html' },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: `set default root object index.html on CloudFront distribution ${ID}`,
      changes: [
        {
          action: 'cloudfront:UpdateDistribution',
          target: ARN,
          description: 'default root object (none) -> index.html',
          applied: true,
          undo: { kind: 'default-root-object', before: { DefaultRootObject: '' }, after: { DefaultRootObject: 'index.html' } },
        },
      ],
    });
  });

  it('sets the configured object on a config without the field', async () => {
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: CONFIG, ETag: 'E1' });
    await bot.run(botContext(bot, { resource, params: { root_object: 'home/index.htm' } }));
    expect(cloudfront.commandCalls(UpdateDistributionCommand)[0]!.args[0].input.DistributionConfig?.DefaultRootObject).toBe(
      'home/index.htm',
    );
  });

  it('never replaces an existing default root object', async () => {
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: { ...CONFIG, DefaultRootObject: 'main.html' }, ETag: 'E1' });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: `CloudFront distribution ${ID} already has default root object main.html`,
      changes: [],
    });
    expect(cloudfront.commandCalls(UpdateDistributionCommand)).toHaveLength(0);
  });

  it('reads again when the distribution changed between its read and its update (PreconditionFailed)', async () => {
    cloudfront
      .on(GetDistributionConfigCommand)
      .resolvesOnce({ DistributionConfig: CONFIG, ETag: 'E1' })
      .resolves({ DistributionConfig: { ...CONFIG, Comment: 'changed' }, ETag: 'E2' });
    cloudfront
      .on(UpdateDistributionCommand)
      .rejectsOnce(
        awsError('PreconditionFailed', 'The precondition given in one or more of the request-header fields evaluated to false.', 412),
      )
      .resolves({});
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('remediated');
    expect(result.changes).toHaveLength(1);
    const second = cloudfront.commandCalls(UpdateDistributionCommand)[1]!.args[0].input;
    expect(second).toEqual({
      Id: ID,
      IfMatch: 'E2',
      DistributionConfig: { ...CONFIG, Comment: 'changed', DefaultRootObject: 'index.html' },
    });
  });

  it('stops at a root object someone else set meanwhile, and gives up after three conflicting writes', async () => {
    cloudfront
      .on(GetDistributionConfigCommand)
      .resolvesOnce({ DistributionConfig: CONFIG, ETag: 'E1' })
      .resolves({ DistributionConfig: { ...CONFIG, DefaultRootObject: 'theirs.html' }, ETag: 'E2' });
    cloudfront.on(UpdateDistributionCommand).rejects(awsError('PreconditionFailed', 'precondition failed', 412));
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('already-compliant');

    cloudfront.reset();
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: CONFIG, ETag: 'E1' });
    cloudfront.on(UpdateDistributionCommand).rejects(awsError('PreconditionFailed', 'precondition failed', 412));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('precondition failed');
    expect(cloudfront.commandCalls(UpdateDistributionCommand)).toHaveLength(3);
  });

  it('passes any other refusal on at once', async () => {
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: CONFIG, ETag: 'E1' });
    cloudfront.on(UpdateDistributionCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('not authorized');
    expect(cloudfront.commandCalls(UpdateDistributionCommand)).toHaveLength(1);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: CONFIG, ETag: 'E1' });
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([expect.objectContaining({ action: 'cloudfront:UpdateDistribution', target: ARN, applied: false })]);
    expect(cloudfront.commandCalls(UpdateDistributionCommand)).toHaveLength(0);
  });

  it('accepts the distribution ARN as the resource id, and refuses another ARN before any call', async () => {
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: CONFIG, ETag: 'E1' });
    await bot.run(botContext(bot, { resource: { ...resource, id: ARN } }));
    expect(cloudfront.commandCalls(GetDistributionConfigCommand)[0]!.args[0].input).toEqual({ Id: ID });
    cloudfront.resetHistory();
    await expect(
      bot.run(botContext(bot, { resource: { ...resource, id: 'arn:aws:cloudfront::222222222222:origin-access-identity/X' } })),
    ).rejects.toThrow('is not a CloudFront distribution id or distribution ARN');
    expect(cloudfront.calls()).toHaveLength(0);
  });

  it('fails when CloudFront answers without an ETag (UpdateDistribution requires one)', async () => {
    cloudfront.on(GetDistributionConfigCommand).resolves({ DistributionConfig: CONFIG });
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('no config or no ETag');
    expect(cloudfront.commandCalls(UpdateDistributionCommand)).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('defaults to index.html and takes object names, never a path with a leading / or odd characters', () => {
      expect(parse({}).data).toEqual({ root_object: 'index.html' });
      expect(parse({ root_object: 'docs/start.html' }).success).toBe(true);
      for (const bad of ['', '/index.html', 'a b.html', 'x'.repeat(256), 'index.html?x=1'])
        expect(parse({ root_object: bad }).success).toBe(false);
    });
  });

  describe('undo', () => {
    const undoer = bot.undoers!['default-root-object']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'eu-west-1', target: ARN };

    it('reads the root object of the distribution the change names, and clears it with the current ETag', async () => {
      cloudfront
        .on(GetDistributionConfigCommand)
        .resolves({ DistributionConfig: { ...CONFIG, DefaultRootObject: 'index.html' }, ETag: 'E9' });
      expect(await undoer.read(ctx)).toEqual({ DefaultRootObject: 'index.html' });
      await undoer.write(ctx, { DefaultRootObject: '' });
      expect(cloudfront.commandCalls(UpdateDistributionCommand)[0]!.args[0].input).toEqual({
        Id: ID,
        IfMatch: 'E9',
        DistributionConfig: { ...CONFIG, DefaultRootObject: '' },
      });
    });
  });
});
