import { mockClient } from 'aws-sdk-client-mock';
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient, ListEntitiesForPolicyCommand } from '@aws-sdk/client-iam';
import bot, { supportRoleTrustPolicy } from '../../../bots/iam/iam_create_support_role';
import { botContext } from '../../support/bot-context';
import { iamError } from './iam-test-support';

const account = { type: 'AWS::::Account', id: '222222222222' };
const POLICY = 'arn:aws:iam::aws:policy/AWSSupportAccess';
const ROLE_ARN = 'arn:aws:iam::222222222222:role/aws_incident_support_role';
const role = (trust: unknown) => ({
  Role: {
    RoleName: 'aws_incident_support_role',
    RoleId: 'AROA1',
    Arn: ROLE_ARN,
    Path: '/',
    CreateDate: new Date(),
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
  },
});

describe('iam_create_support_role', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('creates the support role trusted by the account alone, tagged, and attaches AWSSupportAccess to it', async () => {
    iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyRoles: [], PolicyGroups: [], PolicyUsers: [] });
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(iam.commandCalls(ListEntitiesForPolicyCommand)[0]!.args[0].input).toEqual({ PolicyArn: POLICY });
    expect(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input).toEqual({
      RoleName: 'aws_incident_support_role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }],
      }),
      Description: 'Manages incidents with AWS Support (CIS 1.20; created by cloudmend)',
      Tags: [{ Key: 'cloudmend:created-by', Value: 'iam_create_support_role' }],
    });
    expect(iam.commandCalls(AttachRolePolicyCommand)[0]!.args[0].input).toEqual({
      RoleName: 'aws_incident_support_role',
      PolicyArn: POLICY,
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'aws_incident_support_role in account 222222222222 now holds AWSSupportAccess',
      changes: [
        {
          action: 'iam:CreateRole',
          target: ROLE_ARN,
          description: 'created role aws_incident_support_role, assumable by principals of account 222222222222 only',
          // Kept: marked irreversible in the bot's undo metadata.
          undo: { kind: 'support-role', before: null, after: null },
          applied: true,
        },
        {
          action: 'iam:AttachRolePolicy',
          target: ROLE_ARN,
          description: `attached ${POLICY}`,
          applied: true,
          undo: { kind: 'support-role', before: null, after: null },
        },
      ],
    });
  });

  it('is compliant, and writes nothing, when anyone holds AWSSupportAccess (a later page too)', async () => {
    iam
      .on(ListEntitiesForPolicyCommand)
      .resolvesOnce({ PolicyRoles: [], IsTruncated: true, Marker: 'm1' })
      .resolves({ PolicyGroups: [{ GroupName: 'support', GroupId: 'AGPA1' }] });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(iam.commandCalls(ListEntitiesForPolicyCommand)[1]!.args[0].input).toEqual({ PolicyArn: POLICY, Marker: 'm1' });
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'AWSSupportAccess is already attached in account 222222222222 (group support)',
      changes: [],
    });
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
  });

  it('attaches the policy to an existing role of that name trusted by the account alone', async () => {
    iam.on(ListEntitiesForPolicyCommand).resolves({});
    iam.on(GetRoleCommand).resolves(role(supportRoleTrustPolicy('aws', '222222222222')));
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(result.changes.map((c) => c.action)).toEqual(['iam:AttachRolePolicy']);
  });

  it('refuses a role of that name another principal can assume, attaching nothing', async () => {
    iam.on(ListEntitiesForPolicyCommand).resolves({});
    const wider = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
    };
    iam.on(GetRoleCommand).resolves(role(wider));
    await expect(bot.run(botContext(bot, { resource: account }))).rejects.toThrow(
      'iam_create_support_role: role aws_incident_support_role exists in account 222222222222 with another trust policy',
    );
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });

  it('uses the role a concurrent run created first, after reading it back and checking its trust', async () => {
    iam.on(ListEntitiesForPolicyCommand).resolves({});
    iam
      .on(GetRoleCommand)
      .rejectsOnce(iamError('NoSuchEntityException'))
      .resolves(role(supportRoleTrustPolicy('aws', '222222222222')));
    iam.on(CreateRoleCommand).rejects(iamError('EntityAlreadyExistsException', 409));
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(2);
    expect(result.changes.map((c) => c.action)).toEqual(['iam:AttachRolePolicy']);
  });

  it('is retryable when the create said it exists but the role cannot be read yet', async () => {
    iam.on(ListEntitiesForPolicyCommand).resolves({});
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));
    iam.on(CreateRoleCommand).rejects(iamError('EntityAlreadyExistsException', 409));
    await expect(bot.run(botContext(bot, { resource: account }))).rejects.toMatchObject({ name: 'ConflictingCreate' });
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports both writes and makes neither', async () => {
    iam.on(ListEntitiesForPolicyCommand).resolves({});
    iam.on(GetRoleCommand).rejects(iamError('NoSuchEntityException'));
    const result = await bot.run(botContext(bot, { resource: account, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['iam:CreateRole', false],
      ['iam:AttachRolePolicy', false],
    ]);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });

  it('refuses a finding whose resource is not its account, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::::Account', id: '333333333333' } }))).rejects.toThrow(
      'iam_create_support_role: the finding\'s resource "333333333333" is not its account 222222222222',
    );
    expect(iam.calls()).toHaveLength(0);
  });
});
