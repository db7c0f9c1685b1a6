import { mockClient } from 'aws-sdk-client-mock';
import { AttachRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_role_attach_policy';
import { botContext } from '../../support/bot-context';

const role = { type: 'AWS::IAM::Role', id: 'arn:aws:iam::222222222222:role/apps/web-app' };
const DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';

describe('iam_role_attach_policy', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('attaches the configured policy to the role named by ARN', async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const result = await bot.run(botContext(bot, { resource: role, params: { policy_arn: DENY_ALL } }));
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-app' });
    expect(iam.commandCalls(AttachRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-app', PolicyArn: DENY_ALL });
    expect(result.changes).toEqual([
      {
        action: 'iam:AttachRolePolicy',
        target: 'arn:aws:iam::222222222222:role/apps/web-app',
        description: `attach ${DENY_ALL}`,
        applied: true,
        undo: {
          kind: 'role-managed-policy',
          before: { policyArn: DENY_ALL, attached: false },
          after: { policyArn: DENY_ALL, attached: true },
        },
      },
    ]);
  });

  it('reports an attached policy as already compliant', async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: DENY_ALL }] });
    const result = await bot.run(botContext(bot, { resource: role, params: { policy_arn: DENY_ALL } }));
    expect(result).toEqual({ status: 'already-compliant', message: `${DENY_ALL} is already attached to IAM role web-app`, changes: [] });
  });

  it('in dry run attaches nothing', async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const result = await bot.run(botContext(bot, { resource: role, params: { policy_arn: DENY_ALL }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });
});
