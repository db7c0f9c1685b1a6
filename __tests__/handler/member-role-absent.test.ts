/**
 * stackset mode, an account without the member role: STS refuses; the handler
 * tells a missing role (not in scope, skipped) from a broken trust (failed) by
 * assuming the security account's own member role, and reports it as such
 * through the credentials cache, the tag lookup screen and the bot run.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MemberCredentialsCache } from '../../handler/credentials';
import { classifyError } from '../../handler/errors';
import { MemberRoleAbsentError } from '../../handler/member-role-probe';
import { screenByLookedUpTags, type PlannedRun } from '../../handler/plan';
import { runPlanned } from '../../handler/run';
import type { SourcedFinding } from '../../handler/sources/types';
import { awsError } from '../support/aws-error';
import { fixBucket, runtimeConfig } from './support';

const sts = mockClient(STSClient);
afterAll(() => sts.restore());

const SECURITY = '111111111111';
const NEW_ACCOUNT = '555555555555';
const scope = { organizationId: 'o-abcdef1234', includeAccounts: [], excludeAccounts: [] };

function run(account = NEW_ACCOUNT): PlannedRun {
  const finding: SourcedFinding = {
    source: 'config',
    id: 'f',
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account,
    region: 'eu-west-1',
    resource: { type: 'AWS::S3::Bucket', id: 'b' },
    requestedActions: [],
    raw: {},
    notes: [],
  };
  return { finding, bot: fixBucket, params: {}, requestedBy: 'config mapping' };
}

const cache = () =>
  new MemberCredentialsCache({
    sts: async () => new STSClient({ region: 'eu-west-1' }),
    config: { memberRoleName: 'CloudmendRemediation', externalId: 'ext', securityAccount: SECURITY, scope },
  });
const creds = { Credentials: { AccessKeyId: 'A', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3600_000) } };
const roleOf = (account: string) => `arn:aws:iam::${account}:role/CloudmendRemediation`;

beforeEach(() => sts.reset());

describe('an account without the member role (stackset mode)', () => {
  it('is not in scope when the security account’s own role can be assumed: the probe asks without a session policy', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: roleOf(NEW_ACCOUNT) }).rejects(awsError('AccessDenied', 'not authorized', 403));
    sts.on(AssumeRoleCommand, { RoleArn: roleOf(SECURITY) }).resolves(creds);
    await expect(cache().forRun(run())).rejects.toBeInstanceOf(MemberRoleAbsentError);
    const probe = sts.commandCalls(AssumeRoleCommand).find((c) => c.args[0].input.RoleArn === roleOf(SECURITY))!;
    expect(probe.args[0].input).toMatchObject({ ExternalId: 'ext', RoleSessionName: 'cloudmend-trust-probe' });
    expect(probe.args[0].input.Policy).toBeUndefined();
  });

  it('is a broken trust when the security account’s role refuses too', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    await expect(cache().forRun(run())).rejects.toMatchObject({ name: 'MemberRoleTrustBrokenError' });
  });

  it('does not probe in terraform mode (no scope rules: the account list decides) nor for the security account itself', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    const terraform = new MemberCredentialsCache({
      sts: async () => new STSClient({ region: 'eu-west-1' }),
      config: { memberRoleName: 'CloudmendRemediation', externalId: 'ext', securityAccount: SECURITY },
    });
    await expect(terraform.forRun(run())).rejects.toMatchObject({ name: 'AssumeRoleDeniedError' });
    await expect(cache().forRun(run(SECURITY))).rejects.toMatchObject({ name: 'AssumeRoleDeniedError' });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('a bot run reports it skipped, not failed', async () => {
    const absent = new MemberRoleAbsentError(NEW_ACCOUNT, roleOf(NEW_ACCOUNT));
    const outcome = await runPlanned(run(), {
      credentials: { forRun: () => Promise.reject(absent) },
      dryRun: false,
      log: { child: () => ({}) } as never,
    } as never);
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ status: 'skipped', message: expect.stringMatching(/account 555555555555 is not in scope/) });
  });

  it('a failed tag lookup for that reason is an account-not-in-scope rejection', () => {
    const error = classifyError(new MemberRoleAbsentError(NEW_ACCOUNT, roleOf(NEW_ACCOUNT)));
    const screened = screenByLookedUpTags(
      [run()],
      { status: 'failed', error, denied: false, target: { via: 'tag:GetResources' } as never },
      runtimeConfig(),
    );
    expect(screened.failures).toEqual([]);
    expect(screened.rejections).toEqual([expect.objectContaining({ code: 'account-not-in-scope', kind: 'skip' })]);
  });
});
