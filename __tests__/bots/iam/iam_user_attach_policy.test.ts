import { mockClient } from 'aws-sdk-client-mock';
import { AttachUserPolicyCommand, IAMClient, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_attach_policy';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';

const user = { type: 'AWS::IAM::User', id: 'alice' };

describe('iam_user_attach_policy', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('attaches the configured policy, reading $ACCOUNT_ID as the finding account', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });

    const result = await bot.run(botContext(bot, { resource: user, params: { policy_arn: 'arn:aws:iam::$ACCOUNT_ID:policy/quarantine' } }));

    expect(iam.commandCalls(ListAttachedUserPoliciesCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(AttachUserPolicyCommand)[0]!.args[0].input).toEqual({
      UserName: 'alice',
      PolicyArn: 'arn:aws:iam::222222222222:policy/quarantine',
    });
    expect(result.message).toBe('attached arn:aws:iam::222222222222:policy/quarantine to IAM user alice');
  });

  it('finds the policy on a later page and does not attach it twice', async () => {
    iam
      .on(ListAttachedUserPoliciesCommand, { UserName: 'alice' })
      .resolves({ AttachedPolicies: [], IsTruncated: true, Marker: 'm1' })
      .on(ListAttachedUserPoliciesCommand, { UserName: 'alice', Marker: 'm1' })
      .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AWSDenyAll' }] });
    const result = await bot.run(botContext(bot, { resource: user, params: { policy_arn: 'arn:aws:iam::aws:policy/AWSDenyAll' } }));
    expect(result.status).toBe('already-compliant');
    expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
  });

  it('needs a policy ARN, and says what one looks like', () => {
    expect(resolveParams(bot.meta, [])).toMatchObject({ ok: false });
    expect(resolveParams(bot.meta, ['AdministratorAccess'])).toEqual({
      ok: false,
      error:
        'invalid params for iam_user_attach_policy: policy_arn: a managed policy ARN, e.g. arn:aws:iam::aws:policy/AWSDenyAll or arn:aws:iam::$ACCOUNT_ID:policy/quarantine',
    });
  });

  it('declares nothing a finding may override: the policy comes from the config', () => {
    expect(bot.meta.overridable ?? []).toEqual([]);
  });

  it('in dry run attaches nothing', async () => {
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    const result = await bot.run(
      botContext(bot, { resource: user, params: { policy_arn: 'arn:aws:iam::aws:policy/AWSDenyAll' }, dryRun: true }),
    );
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(AttachUserPolicyCommand)).toHaveLength(0);
  });
});
