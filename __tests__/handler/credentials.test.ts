import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { BOTS } from '../../bots';
import { EXPIRY_MARGIN_MS, MAX_SESSION_POLICY_CHARS, MemberCredentialsCache, sessionPolicyForRun } from '../../handler/credentials';
import { AssumeRoleDeniedError, SessionPolicyTooLargeError } from '../../handler/errors';
import type { Bot } from '../../bots/types';
import type { PlannedRun } from '../../handler/plan';
import type { SourcedFinding } from '../../handler/sources/types';
import { fixBucket, stopBox } from './support';
import { awsError } from '../support/aws-error';

const sts = mockClient(STSClient);
afterAll(() => sts.restore());

const T0 = Date.parse('2026-11-23T10:00:00Z');

function run(bot: Bot = fixBucket, resourceId = 'data-bucket', account = '222222222222'): PlannedRun {
  const finding: SourcedFinding = {
    source: 'cloudguard',
    id: 'f',
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account,
    region: 'eu-west-1',
    resource: { type: bot.meta.name === 'stop_box' ? 'AWS::EC2::Instance' : 'AWS::S3::Bucket', id: resourceId },
    requestedActions: [],
    raw: {},
    notes: [],
  };
  return { finding, bot, params: {}, requestedBy: 'finding' };
}

function credentials(n: number, expiresAt: number) {
  return { Credentials: { AccessKeyId: `AKIA${n}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(expiresAt) } };
}

describe('member credentials', () => {
  let clock: number;
  let cache: MemberCredentialsCache;
  beforeEach(() => {
    sts.reset();
    clock = T0;
    cache = new MemberCredentialsCache({
      sts: async () => new STSClient({ region: 'eu-west-1' }),
      config: { memberRoleName: 'CloudmendRemediation', externalId: 'ext-123' },
      now: () => clock,
    });
  });

  it('assumes the member role with the external id and a session policy of only the bot permissions, on the resource', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials(1, T0 + 15 * 60_000));
    const result = await cache.forRun(run(stopBox, 'i-0a1b2c3d4e5f67890'));

    const input = sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input).toEqual({
      RoleArn: 'arn:aws:iam::222222222222:role/CloudmendRemediation',
      RoleSessionName: 'cloudmend-stop_box',
      ExternalId: 'ext-123',
      DurationSeconds: 900,
      Policy: expect.any(String),
    });
    expect(JSON.parse(input.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: ['*'] },
        { Effect: 'Allow', Action: ['ec2:StopInstances'], Resource: ['arn:aws:ec2:eu-west-1:222222222222:instance/i-0a1b2c3d4e5f67890'] },
      ],
    });
    expect(result.credentials).toMatchObject({ accessKeyId: 'AKIA1', secretAccessKey: 's', sessionToken: 't' });
  });

  it('reuses credentials for the same account, bot and resource until 5 minutes before they expire', async () => {
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(credentials(1, T0 + 15 * 60_000))
      .resolves(credentials(2, T0 + 30 * 60_000));
    expect((await cache.forRun(run())).credentials.accessKeyId).toBe('AKIA1');
    clock = T0 + 15 * 60_000 - EXPIRY_MARGIN_MS - 1;
    expect((await cache.forRun(run())).credentials.accessKeyId).toBe('AKIA1');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);

    clock = T0 + 15 * 60_000 - EXPIRY_MARGIN_MS;
    expect((await cache.forRun(run())).credentials.accessKeyId).toBe('AKIA2');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('assumes separately per bot, per resource and per account (each session policy differs)', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials(1, T0 + 15 * 60_000));
    await cache.forRun(run());
    await cache.forRun(run(fixBucket, 'other-bucket'));
    await cache.forRun(run(fixBucket, 'data-bucket', '111111111111'));
    await cache.forRun(run(stopBox, 'i-0a1b2c3d4e5f67890'));
    await cache.forRun(run());
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => [c.args[0].input.RoleArn, JSON.parse(c.args[0].input.Policy!).Statement[0].Resource[0]]),
    ).toEqual([
      ['arn:aws:iam::222222222222:role/CloudmendRemediation', 'arn:aws:s3:::data-bucket'],
      ['arn:aws:iam::222222222222:role/CloudmendRemediation', 'arn:aws:s3:::other-bucket'],
      ['arn:aws:iam::111111111111:role/CloudmendRemediation', 'arn:aws:s3:::data-bucket'],
      ['arn:aws:iam::222222222222:role/CloudmendRemediation', '*'],
    ]);
  });

  it('shares one AssumeRole between concurrent runs of the same scope', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials(1, T0 + 15 * 60_000));
    await Promise.all([cache.forRun(run()), cache.forRun(run())]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('reports AccessDenied with the role ARN and the likely fix, and does not cache the failure', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(awsError('AccessDenied', 'not authorized'))
      .resolves(credentials(1, T0 + 15 * 60_000));
    const denied = cache.forRun(run());
    await expect(denied).rejects.toBeInstanceOf(AssumeRoleDeniedError);
    await expect(denied).rejects.toMatchObject({
      roleArn: 'arn:aws:iam::222222222222:role/CloudmendRemediation',
      message: expect.stringContaining('external id matches roles.externalId'),
    });
    expect((await cache.forRun(run())).credentials.accessKeyId).toBe('AKIA1');
  });

  it('refuses, naming the bot, a session policy longer than AssumeRole accepts', async () => {
    const greedy: Bot = {
      ...fixBucket,
      meta: {
        ...fixBucket.meta,
        name: 'greedy',
        permissions: Array.from({ length: 60 }, (_, i) => ({
          actions: [`s3:Action${i}`],
          resources: [`arn:{partition}:s3:::{resourceId}/p${i}`],
          reason: 't',
        })),
      },
    } as Bot;
    const refused = cache.forRun(run(greedy));
    await expect(refused).rejects.toBeInstanceOf(SessionPolicyTooLargeError);
    await expect(refused).rejects.toMatchObject({
      message: expect.stringMatching(/^the session policy of greedy for data-bucket is \d+ characters; AssumeRole allows 2048/),
    });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('every catalog bot', () => {
  it.each(BOTS.map((b) => [b.meta.name, b]))('%s fits its session policy into AssumeRole, even with a long resource id', (_, bot) => {
    const long = run(bot as Bot, `${'x'.repeat(63)}`);
    long.finding.resource.type = (bot as Bot).meta.resourceTypes[0]!;
    expect(JSON.stringify(sessionPolicyForRun(long)).length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });
});
