import { mockClient } from 'aws-sdk-client-mock';
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import bot from '../../../bots/lambda/lambda_detach_blanket_permissions';
import { grantsBlanket } from '../../../bots/lambda/execution-role';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { DerivedIds } from '../../../bots/types';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';
import { undoSteps } from '../../support/undo-through-session';
import { ADMIN, DENY_ALL, LOGS, S3_ALL, STAR_STAR } from './lambda_detach_blanket_permissions.fixtures';

const fn = { type: 'AWS::Lambda::Function', id: 'payments' };
const ROLE = 'arn:aws:iam::222222222222:role/service/payments-role';
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const LOGS_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const S3_ARN = 'arn:aws:iam::222222222222:policy/s3-all';
const undoCtx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ROLE };

const encoded = (doc: object) => encodeURIComponent(JSON.stringify(doc));

describe('lambda_detach_blanket_permissions', () => {
  const lambda = mockClient(LambdaClient);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    lambda.reset();
    iam.reset();
    lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'payments', Role: ROLE });
  });
  afterAll(() => {
    lambda.restore();
    iam.restore();
  });

  function seedRole(managed: Record<string, object>, inline: Record<string, object>) {
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: Object.keys(managed).map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })),
    });
    for (const [PolicyArn, doc] of Object.entries(managed)) {
      iam.on(GetPolicyCommand, { PolicyArn }).resolves({ Policy: { Arn: PolicyArn, DefaultVersionId: 'v2' } });
      iam.on(GetPolicyVersionCommand, { PolicyArn }).resolves({ PolicyVersion: { VersionId: 'v2', Document: encoded(doc) } });
    }
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: Object.keys(inline) });
    for (const [PolicyName, doc] of Object.entries(inline)) {
      iam.on(GetRolePolicyCommand, { PolicyName }).resolves({ RoleName: 'payments-role', PolicyName, PolicyDocument: encoded(doc) });
    }
  }

  it('detaches the managed and deletes the inline policies allowing * on *, through sessions naming the role and its policies', async () => {
    seedRole({ [ADMIN_ARN]: ADMIN, [LOGS_ARN]: LOGS, [S3_ARN]: S3_ALL }, { 'star-star': STAR_STAR, logs: LOGS });
    iam.on(DetachRolePolicyCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    const narrowed: DerivedIds[] = [];

    const result = await bot.run(botContext(bot, { resource: fn, onNarrow: (ids) => narrowed.push(ids) }));

    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]!.args[0].input).toEqual({ FunctionName: 'payments' });
    expect(narrowed).toEqual([
      { roleName: ['payments-role'] },
      { roleName: ['payments-role'], policyName: ['s3-all', 'AdministratorAccess', 'AWSLambdaBasicExecutionRole'] },
    ]);
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)[0]!.args[0].input).toEqual({ RoleName: 'payments-role' });
    expect(iam.commandCalls(GetPolicyVersionCommand)[1]!.args[0].input).toEqual({ PolicyArn: ADMIN_ARN, VersionId: 'v2' });
    expect(iam.commandCalls(DetachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: 'payments-role', PolicyArn: ADMIN_ARN },
    ]);
    expect(iam.commandCalls(DeleteRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: 'payments-role', PolicyName: 'star-star' },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe(
      `removed from payments-role, the execution role of payments, the policies allowing * on *: managed ${ADMIN_ARN}, inline star-star`,
    );
    expect(result.changes.map((c) => [c.action, c.target, c.undo])).toEqual([
      [
        'iam:DetachRolePolicy',
        ROLE,
        {
          kind: 'attached-policies',
          before: [LOGS_ARN, ADMIN_ARN, S3_ARN].sort(),
          after: [LOGS_ARN, S3_ARN].sort(),
          ids: { roleName: ['payments-role'] },
        },
      ],
      [
        'iam:DeleteRolePolicy',
        ROLE,
        {
          kind: 'inline-policies',
          before: [
            { PolicyName: 'logs', Document: LOGS },
            { PolicyName: 'star-star', Document: STAR_STAR },
          ],
          after: [{ PolicyName: 'logs', Document: LOGS }],
          ids: { roleName: ['payments-role'] },
        },
      ],
    ]);
  });

  it('reads many managed policies in several sessions, each small enough for AssumeRole', async () => {
    const arns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::222222222222:policy/some/path/policy-with-a-long-name-${i}`);
    seedRole(Object.fromEntries(arns.map((arn) => [arn, LOGS])), {});
    const narrowed: DerivedIds[] = [];
    const result = await bot.run(botContext(bot, { resource: fn, onNarrow: (ids) => narrowed.push(ids) }));
    expect(result.status).toBe('already-compliant');
    expect(narrowed.map((ids) => ids.policyName?.length ?? 0)).toEqual([0, 4, 4, 2]);
    for (const ids of narrowed) {
      const policy = sessionPolicyFor(bot.meta, {
        partition: 'aws',
        account: '222222222222',
        region: 'us-east-1',
        resourceId: 'payments',
        derived: ids,
      });
      expect(JSON.stringify(policy).length).toBeLessThanOrEqual(2048);
    }
  });

  it('judges a policy blanket by an Allow of * (or *:*) on *, whatever its conditions', () => {
    expect(grantsBlanket(ADMIN)).toBe(true);
    expect(grantsBlanket(STAR_STAR)).toBe(true);
    expect(grantsBlanket(S3_ALL)).toBe(false);
    expect(grantsBlanket(DENY_ALL)).toBe(false);
    expect(grantsBlanket({ Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' } })).toBe(false);
  });

  it('reports already-compliant when no policy of the role allows everything', async () => {
    seedRole({ [LOGS_ARN]: LOGS }, { logs: LOGS });
    const result = await bot.run(botContext(bot, { resource: fn }));
    expect(result.status).toBe('already-compliant');
    expect(iam.commandCalls(DetachRolePolicyCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteRolePolicyCommand)).toHaveLength(0);
  });

  it('in dry run reads everything, reports the removals and makes none', async () => {
    seedRole({ [ADMIN_ARN]: ADMIN }, { 'star-star': STAR_STAR });
    const result = await bot.run(botContext(bot, { resource: fn, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['iam:DetachRolePolicy', false],
      ['iam:DeleteRolePolicy', false],
    ]);
    expect(iam.commandCalls(DetachRolePolicyCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteRolePolicyCommand)).toHaveLength(0);
  });

  it('skips a function whose role is in another account, and fails when IAM refuses', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ Role: 'arn:aws:iam::999999999999:role/elsewhere' });
    expect((await bot.run(botContext(bot, { resource: fn }))).status).toBe('skipped');
    expect(iam.calls()).toHaveLength(0);

    lambda.on(GetFunctionConfigurationCommand).resolves({ Role: ROLE });
    iam.on(ListAttachedRolePoliciesCommand).rejects(awsError('NoSuchEntity', 'role not found', 404));
    await expect(bot.run(botContext(bot, { resource: fn }))).rejects.toMatchObject({ name: 'NoSuchEntity' });
  });

  it('records the role with each change, and undo sessions name that role and no other', async () => {
    seedRole({ [ADMIN_ARN]: ADMIN }, { 'star-star': STAR_STAR });
    const result = await bot.run(botContext(bot, { resource: fn }));
    const steps = undoSteps(bot.meta.name, result.changes, { account: '222222222222', region: 'us-east-1', resourceId: 'payments' });
    // Newest change first: the inline policy, then the managed one.
    expect(steps.map((s) => [s.step.change.action, s.refusal, s.sessionPolicy?.Statement])).toEqual([
      [
        'iam:DeleteRolePolicy',
        undefined,
        [
          {
            Effect: 'Allow',
            Action: ['iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:PutRolePolicy'],
            Resource: ['arn:aws:iam::222222222222:role/*/payments-role', 'arn:aws:iam::222222222222:role/payments-role'],
          },
        ],
      ],
      [
        'iam:DetachRolePolicy',
        undefined,
        [
          {
            Effect: 'Allow',
            Action: ['iam:AttachRolePolicy', 'iam:ListAttachedRolePolicies'],
            Resource: ['arn:aws:iam::222222222222:role/*/payments-role', 'arn:aws:iam::222222222222:role/payments-role'],
          },
        ],
      ],
    ]);
  });

  it('refuses to undo a change recorded without its role (before undo sessions named it)', () => {
    const change = {
      action: 'iam:DetachRolePolicy',
      target: ROLE,
      description: 'd',
      applied: true,
      undo: { kind: 'attached-policies', before: [ADMIN_ARN], after: [] },
    };
    const [step] = undoSteps(bot.meta.name, [change], { account: '222222222222', region: 'us-east-1', resourceId: 'payments' });
    expect(step!.refusal).toBe(
      'the change record names no roleName for its undo session (recorded before lambda_detach_blanket_permissions recorded them), ' +
        `and undo is never granted more than the record names; restore by hand to ["${ADMIN_ARN}"]`,
    );
  });

  it('undo attaches the detached policies and puts the deleted inline policies back', async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: LOGS_ARN }] });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(AttachRolePolicyCommand).resolves({});
    iam.on(PutRolePolicyCommand).resolves({});
    const managed = bot.undoers!['attached-policies']!;
    const inline = bot.undoers!['inline-policies']!;
    expect(await managed.read(undoCtx)).toEqual([LOGS_ARN]);
    await managed.write(undoCtx, [ADMIN_ARN, LOGS_ARN]);
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: 'payments-role', PolicyArn: ADMIN_ARN },
    ]);
    expect(await inline.read(undoCtx)).toEqual([]);
    await inline.write(undoCtx, [{ PolicyName: 'star-star', Document: STAR_STAR }]);
    expect(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input).toEqual({
      RoleName: 'payments-role',
      PolicyName: 'star-star',
      PolicyDocument: JSON.stringify(STAR_STAR),
    });
  });
});
