import { mockClient } from 'aws-sdk-client-mock';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import bot from '../../../bots/iam/iam_quarantine_role';
import { QUARANTINE_POLICY } from '../../../bots/iam/iam_quarantine_user';
import { botContext } from '../../support/bot-context';
import { iamError } from './iam-test-support';

const role = { type: 'AWS::IAM::Role', id: 'web-app' };
const roleArn = 'arn:aws:iam::222222222222:role/apps/web-app';
const cloudmend = 'arn:aws:sts::222222222222:assumed-role/CloudmendRemediation/cloudmend-iam_quarantine_role';

describe('iam_quarantine_role', () => {
  const iam = mockClient(IAMClient);
  const sts = mockClient(STSClient);
  beforeEach(() => {
    iam.reset();
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Arn: cloudmend, Account: '222222222222' });
    iam
      .on(GetRoleCommand)
      .resolves({ Role: { RoleName: 'web-app', Path: '/apps/', Arn: roleArn, RoleId: 'AROA1', CreateDate: new Date() } });
  });
  afterAll(() => {
    iam.restore();
    sts.restore();
  });

  it('puts the deny-all inline policy on the role', async () => {
    iam.on(GetRolePolicyCommand).rejects(iamError('NoSuchEntityException'));

    const result = await bot.run(botContext(bot, { resource: role }));

    expect(iam.commandCalls(GetRoleCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-app' });
    expect(iam.commandCalls(GetRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-app', PolicyName: 'cloudmend-quarantine' });
    expect(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input).toEqual({
      RoleName: 'web-app',
      PolicyName: 'cloudmend-quarantine',
      PolicyDocument: JSON.stringify(QUARANTINE_POLICY),
    });
    expect(result.changes).toEqual([
      {
        action: 'iam:PutRolePolicy',
        target: roleArn,
        description: 'attach inline policy cloudmend-quarantine denying every action on every resource',
        applied: true,
        undo: {
          kind: 'role-inline-policy',
          before: { policyName: 'cloudmend-quarantine', document: null },
          after: { policyName: 'cloudmend-quarantine', document: QUARANTINE_POLICY },
        },
      },
    ]);
  });

  it('restores an altered quarantine policy, and leaves an intact one (IAM returns it URL-encoded)', async () => {
    iam.on(GetRolePolicyCommand).resolves({
      RoleName: 'web-app',
      PolicyName: 'cloudmend-quarantine',
      PolicyDocument: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}'),
    });
    expect((await bot.run(botContext(bot, { resource: role }))).changes[0]!.description).toBe(
      'replace the altered inline policy cloudmend-quarantine with the deny-all policy',
    );
    iam.on(GetRolePolicyCommand).resolves({
      RoleName: 'web-app',
      PolicyName: 'cloudmend-quarantine',
      PolicyDocument: encodeURIComponent(JSON.stringify(QUARANTINE_POLICY)),
    });
    expect(await bot.run(botContext(bot, { resource: role }))).toEqual({
      status: 'already-compliant',
      message: 'IAM role web-app is already quarantined by the inline policy cloudmend-quarantine',
      changes: [],
    });
  });

  it('never quarantines the role cloudmend runs as, whatever the finding says', async () => {
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::IAM::Role', id: 'CloudmendRemediation' } }));
    expect(result).toEqual({
      status: 'skipped',
      message: 'role CloudmendRemediation is the role cloudmend runs as in account 222222222222; it does not quarantine itself',
      changes: [],
    });
    expect(iam.calls()).toHaveLength(0);
  });

  it('skips a service-linked role, which cannot take an inline policy', async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'AWSServiceRoleForSupport',
        Path: '/aws-service-role/support.amazonaws.com/',
        Arn: 'x',
        RoleId: 'A',
        CreateDate: new Date(),
      },
    });
    const result = await bot.run(botContext(bot, { resource: { type: 'AWS::IAM::Role', id: 'AWSServiceRoleForSupport' } }));
    expect(result.status).toBe('skipped');
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  it('refuses a role ARN of another account', async () => {
    await expect(
      bot.run(botContext(bot, { resource: { type: 'AWS::IAM::Role', id: 'arn:aws:iam::999999999999:role/x' } })),
    ).rejects.toThrow("the finding's role arn:aws:iam::999999999999:role/x is not in the finding's account 222222222222");
  });

  it('in dry run puts nothing', async () => {
    iam.on(GetRolePolicyCommand).rejects(iamError('NoSuchEntityException'));
    const result = await bot.run(botContext(bot, { resource: role, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });
});
