import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailClient, GetTrailCommand, UpdateTrailCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import bot from '../../../bots/cloudtrail/cloudtrail_encrypt_log_files_using_existing_key';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';

const trailArn = 'arn:aws:cloudtrail:us-east-1:222222222222:trail/audit';
const KEY = 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const resource = { type: 'AWS::CloudTrail::Trail', id: 'audit' };
const trail = (overrides: Partial<Trail> = {}) => ({ Trail: { Name: 'audit', TrailARN: trailArn, HomeRegion: 'us-east-1', ...overrides } });

describe('cloudtrail_encrypt_log_files_using_existing_key', () => {
  const cloudtrail = mockClient(CloudTrailClient);
  beforeEach(() => cloudtrail.reset());
  afterAll(() => cloudtrail.restore());

  it('sets the given key on an unencrypted trail, naming the trail by ARN', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail());

    const result = await bot.run(botContext(bot, { resource, params: { kms_key_arn: KEY } }));

    expect(cloudtrail.commandCalls(GetTrailCommand)[0]!.args[0].input).toEqual({ Name: 'audit' });
    expect(cloudtrail.commandCalls(UpdateTrailCommand)[0]!.args[0].input).toEqual({ Name: trailArn, KmsKeyId: KEY });
    expect(result).toEqual({
      status: 'remediated',
      message: `trail audit now encrypts its log files with ${KEY}`,
      changes: [
        {
          action: 'cloudtrail:UpdateTrail',
          target: trailArn,
          description: `log files SSE-S3 -> SSE-KMS with ${KEY}`,
          applied: true,
          undo: { kind: 'trail-encryption', before: { KmsKeyId: null }, after: { KmsKeyId: KEY }, ids: { trailRegion: ['us-east-1'] } },
        },
      ],
    });
  });

  it('updates a trail homed in another Region there, with credentials naming that Region only', async () => {
    cloudtrail
      .on(GetTrailCommand)
      .resolves(
        trail({ TrailARN: 'arn:aws:cloudtrail:eu-west-2:222222222222:trail/audit', HomeRegion: 'eu-west-2', IsMultiRegionTrail: true }),
      );
    const narrowed: unknown[] = [];
    await bot.run(botContext(bot, { resource, params: { kms_key_arn: KEY }, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([{ trailRegion: ['eu-west-2'] }]);
    expect(cloudtrail.commandCalls(UpdateTrailCommand)[0]!.args[0].input.Name).toBe(
      'arn:aws:cloudtrail:eu-west-2:222222222222:trail/audit',
    );
    narrowed.length = 0;
    await bot.run(botContext(bot, { resource, params: { kms_key_arn: KEY }, dryRun: true, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([]);
  });

  it('leaves a trail encrypted with any key alone', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail({ KmsKeyId: 'arn:aws:kms:us-east-1:222222222222:key/other' }));
    const result = await bot.run(botContext(bot, { resource, params: { kms_key_arn: KEY } }));
    expect(result.status).toBe('already-compliant');
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });

  it('skips an organization trail of the management account', async () => {
    cloudtrail
      .on(GetTrailCommand)
      .resolves(trail({ IsOrganizationTrail: true, TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org' }));
    const result = await bot.run(botContext(bot, { resource, params: { kms_key_arn: KEY } }));
    expect(result).toEqual({
      status: 'skipped',
      message: 'audit is an organization trail owned by account 111111111111; encrypt it there',
      changes: [],
    });
  });

  it('needs a key ARN (positionally too), not an alias', () => {
    expect(resolveParams(bot.meta, [KEY])).toEqual({ ok: true, params: { kms_key_arn: KEY } });
    expect(resolveParams(bot.meta, ['alias/logs'])).toMatchObject({ ok: false });
    expect(resolveParams(bot.meta, [])).toMatchObject({ ok: false });
  });

  it('in dry run updates nothing', async () => {
    cloudtrail.on(GetTrailCommand).resolves(trail());
    const result = await bot.run(botContext(bot, { resource, params: { kms_key_arn: KEY }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(cloudtrail.commandCalls(UpdateTrailCommand)).toHaveLength(0);
  });
});
