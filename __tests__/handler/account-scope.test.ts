import { accountOutOfScope } from '../../handler/account-scope';
import { AssumeRoleDeniedError } from '../../handler/errors';
import { MemberRoleAbsentError, TrustProbe } from '../../handler/member-role-probe';
import { fixtureConfig, synthDeployment } from '../stacks/fixtures/deployment';
import { awsError } from '../support/aws-error';

const stackset = {
  securityAccount: '111111111111',
  scope: { organizationId: 'o-abcdef1234', includeAccounts: [], excludeAccounts: ['777777777777'], managementAccount: '999999999999' },
};

describe('accountOutOfScope (stackset mode: rules, no account list)', () => {
  it('lets an account nobody listed through (one that joined after the deploy): its member role decides', () => {
    expect(accountOutOfScope('222222222222', stackset)).toBeUndefined();
  });

  it('refuses an excluded account, the management account, and any other when includeAccounts is set', () => {
    expect(accountOutOfScope('777777777777', stackset)).toMatch(/excludeAccounts/);
    expect(accountOutOfScope('999999999999', stackset)).toMatch(/management account/);
    const only = { ...stackset, scope: { ...stackset.scope, includeAccounts: ['222222222222'] } };
    expect(accountOutOfScope('333333333333', only)).toMatch(/includeAccounts does not list it/);
    expect(accountOutOfScope('222222222222', only)).toBeUndefined();
  });

  it('terraform mode keeps the account list', () => {
    expect(accountOutOfScope('222222222222', { securityAccount: '111111111111', accounts: { '222222222222': 'Root' } })).toBeUndefined();
    expect(accountOutOfScope('333333333333', { securityAccount: '111111111111', accounts: { '222222222222': 'Root' } })).toMatch(
      /not in scope/,
    );
  });

  it('fails closed when the runtime config names neither', () => {
    expect(accountOutOfScope('222222222222', { securityAccount: '111111111111' })).toMatch(/re-synthesize/);
  });
});

describe('TrustProbe: role absent vs trust broken (STS says AccessDenied to both)', () => {
  const denied = new AssumeRoleDeniedError('arn:aws:iam::222222222222:role/CloudmendRemediation', new Error('AccessDenied'));

  it('the security account role works: the member account holds no role, so it is not in scope', async () => {
    const probe = jest.fn().mockResolvedValue({});
    const explained = await new TrustProbe(probe).explain(denied, '222222222222');
    expect(explained).toBeInstanceOf(MemberRoleAbsentError);
    expect(explained.message).toMatch(/account 222222222222 is not in scope: it holds no CloudmendRemediation role/);
  });

  it('the security account role refuses too: the trust is broken everywhere, a failure', async () => {
    const probe = jest.fn().mockRejectedValue(new AssumeRoleDeniedError('arn:aws:iam::111111111111:role/CloudmendRemediation', null));
    const explained = await new TrustProbe(probe).explain(denied, '222222222222');
    expect(explained.name).toBe('MemberRoleTrustBrokenError');
    expect(explained.message).toMatch(/check roles.externalId/);
  });

  it('probes once per few minutes, and keeps the original denial when the probe cannot run', async () => {
    let now = 0;
    const probe = jest.fn().mockResolvedValue({});
    const trust = new TrustProbe(probe, () => now);
    await trust.explain(denied, '222222222222');
    await trust.explain(denied, '333333333333');
    expect(probe).toHaveBeenCalledTimes(1);
    now = 10 * 60 * 1000;
    await trust.explain(denied, '222222222222');
    expect(probe).toHaveBeenCalledTimes(2);
    const throttled = new TrustProbe(jest.fn().mockRejectedValue(awsError('Throttling', 'slow')));
    expect(await throttled.explain(denied, '222222222222')).toBe(denied);
  });
});

describe('a new account in an in-scope OU, after the deploy (stackset mode)', () => {
  // Built the way synth builds it, from an inventory that did not know the account yet.
  const base = fixtureConfig();
  const deployment = synthDeployment(
    fixtureConfig({
      organization: {
        ...base.organization,
        id: 'o-abcdef1234',
        ouIds: {
          Root: 'r-ab12',
          'Root/Security': 'ou-ab12-security',
          'Root/Workloads': 'ou-ab12-workload',
          'Root/Sandbox': 'ou-ab12-sandbox1',
        },
      } as never,
      roles: { ...base.roles, deployment: 'stackset' } as never,
    }),
  );

  it('is in scope with no redeploy: the runtime config names no account', () => {
    expect(deployment.runtime.accounts).toBeUndefined();
    expect(accountOutOfScope('888888888888', deployment.runtime)).toBeUndefined();
  });

  it('an excluded account stays out whatever OU it is in', () => {
    expect(accountOutOfScope('777777777777', deployment.runtime)).toMatch(/excludeAccounts/);
  });
});
