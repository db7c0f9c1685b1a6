import { mockClient } from 'aws-sdk-client-mock';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import bot from '../../../bots/rds/rds_enable_enhanced_monitoring';
import type { DerivedIds } from '../../../bots/types';
import { botContext, mockedClients } from '../../support/bot-context';
import { ACCOUNT, db, dbArn, instance } from './rds.fixtures';

const roleArn = `arn:aws:iam::${ACCOUNT}:role/cloudmend-rds-monitoring`;
const policyArn = 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole';
const trust = encodeURIComponent(JSON.stringify({ Statement: [{ Principal: { Service: 'monitoring.rds.amazonaws.com' } }] }));
const ourRole = {
  RoleName: 'cloudmend-rds-monitoring',
  Arn: roleArn,
  Path: '/',
  RoleId: 'AROA1',
  CreateDate: new Date(0),
  AssumeRolePolicyDocument: trust,
  Tags: [{ Key: 'cloudmend:created-by', Value: 'rds_enable_enhanced_monitoring' }],
};
const noSuchEntity = Object.assign(new Error('role not found'), { name: 'NoSuchEntityException' });

describe('rds_enable_enhanced_monitoring', () => {
  const rds = mockClient(RDSClient);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    rds.reset();
    iam.reset();
    rds.on(ModifyDBInstanceCommand).resolves({});
  });
  afterAll(() => {
    rds.restore();
    iam.restore();
  });

  it('creates the monitoring role once (trust, boundary, tag, managed policy) and turns monitoring on every 60 s', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ MonitoringInterval: 0 }));
    iam.on(GetRoleCommand).rejects(noSuchEntity);
    iam.on(CreateRoleCommand).resolves({ Role: ourRole });
    iam.on(AttachRolePolicyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: db }));

    const created = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(created).toEqual({
      RoleName: 'cloudmend-rds-monitoring',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'monitoring.rds.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          },
        ],
      }),
      Description: expect.stringContaining('created by cloudmend'),
      PermissionsBoundary: policyArn,
      Tags: [{ Key: 'cloudmend:created-by', Value: 'rds_enable_enhanced_monitoring' }],
    });
    expect(iam.commandCalls(AttachRolePolicyCommand)[0]!.args[0].input).toEqual({
      RoleName: 'cloudmend-rds-monitoring',
      PolicyArn: policyArn,
    });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      MonitoringInterval: 60,
      MonitoringRoleArn: roleArn,
      ApplyImmediately: false,
    });
    expect(result.status).toBe('remediated');
    expect(result.changes.map((c) => [c.action, c.target])).toEqual([
      ['iam:CreateRole', roleArn],
      ['iam:AttachRolePolicy', roleArn],
      ['rds:ModifyDBInstance', dbArn],
    ]);
    expect(result.changes[2]).toEqual({
      action: 'rds:ModifyDBInstance',
      target: dbArn,
      description: `Enhanced Monitoring off -> every 60 s with role ${roleArn}`,
      applied: true,
      undo: {
        kind: 'enhanced-monitoring',
        before: { MonitoringInterval: 0 },
        after: { MonitoringInterval: 60, MonitoringRoleArn: roleArn },
      },
    });
  });

  it('reuses its existing role as it is, with no IAM write', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).resolves({ Role: ourRole });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: policyArn }] });
    const result = await bot.run(botContext(bot, { resource: db, params: { interval: '15' } }));
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toMatchObject({
      MonitoringInterval: 15,
      MonitoringRoleArn: roleArn,
    });
    expect(result.changes).toHaveLength(1);
  });

  it('attaches the managed policy to its role when an interrupted run left it without', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).resolves({ Role: ourRole });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(1);
    expect(result.changes.map((c) => c.action)).toEqual(['iam:AttachRolePolicy', 'rds:ModifyDBInstance']);
  });

  it('adopts a role another run created between its read and its create', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).rejectsOnce(noSuchEntity).resolves({ Role: ourRole });
    iam.on(CreateRoleCommand).rejects(Object.assign(new Error('exists'), { name: 'EntityAlreadyExistsException' }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: policyArn }] });
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.changes.map((c) => c.action)).toEqual(['rds:ModifyDBInstance']);
  });

  it.each([
    ['without the cloudmend tag', { ...ourRole, Tags: [] }, 'lacks the tag cloudmend:created-by=rds_enable_enhanced_monitoring'],
    ['that RDS monitoring cannot assume', { ...ourRole, AssumeRolePolicyDocument: '{}' }, 'monitoring.rds.amazonaws.com cannot assume it'],
  ])('refuses a role of its name %s, before changing the instance', async (_label, role, message) => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).resolves({ Role: role });
    await expect(bot.run(botContext(bot, { resource: db }))).rejects.toMatchObject({
      name: 'ForeignMonitoringRole',
      message: expect.stringContaining(message),
    });
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('uses a given role_arn of the account through a session naming it, with no IAM call', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    const named: DerivedIds[] = [];
    const given = `arn:aws:iam::${ACCOUNT}:role/service-role/rds-monitoring-role`;
    const result = await bot.run(botContext(bot, { resource: db, params: { role_arn: given }, onNarrow: (ids) => named.push(ids) }));
    expect(named).toEqual([{ monitoringRoleName: ['rds-monitoring-role'] }]);
    expect(iam.calls()).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toMatchObject({ MonitoringRoleArn: given });
    expect(result.status).toBe('remediated');
  });

  it('skips a role_arn of another account (RDS takes its own account roles only)', async () => {
    const result = await bot.run(botContext(bot, { resource: db, params: { role_arn: 'arn:aws:iam::999999999999:role/mon' } }));
    expect(result.status).toBe('skipped');
    expect(rds.calls()).toHaveLength(0);
    expect(bot.meta.sensitiveParams).toEqual({ role_arn: 'principal' });
    expect(bot.meta.overridable).toEqual(['interval']);
  });

  it('raises a longer interval on an instance already monitored, keeping its role (not sent, so not passed)', async () => {
    const theirs = `arn:aws:iam::${ACCOUNT}:role/theirs`;
    rds.on(DescribeDBInstancesCommand).resolves(instance({ MonitoringInterval: 60, MonitoringRoleArn: theirs }));
    const result = await bot.run(botContext(bot, { resource: db, params: { interval: 10, role_arn: roleArn } }));
    expect(iam.calls()).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      MonitoringInterval: 10,
      ApplyImmediately: false,
    });
    expect(result.changes[0]!.undo).toEqual({
      kind: 'enhanced-monitoring',
      before: { MonitoringInterval: 60, MonitoringRoleArn: theirs },
      after: { MonitoringInterval: 10, MonitoringRoleArn: theirs },
    });
  });

  it.each([[60], [30], [1]])('reports already-compliant for an instance sampling every %i s (at least every 60)', async (n) => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ MonitoringInterval: n, MonitoringRoleArn: roleArn }));
    const result = await bot.run(botContext(bot, { resource: db }));
    expect(result.status).toBe('already-compliant');
    expect(iam.calls()).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('skips a stopped instance before creating anything', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance({ DBInstanceStatus: 'stopped' }));
    expect((await bot.run(botContext(bot, { resource: db }))).status).toBe('skipped');
    expect(iam.calls()).toHaveLength(0);
  });

  it('in dry run reads, reports the role it would create and the change, and writes nothing', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).rejects(noSuchEntity);
    const result = await bot.run(botContext(bot, { resource: db, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes.map((c) => [c.action, c.applied])).toEqual([
      ['iam:CreateRole', false],
      ['iam:AttachRolePolicy', false],
      ['rds:ModifyDBInstance', false],
    ]);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(rds.commandCalls(ModifyDBInstanceCommand)).toHaveLength(0);
  });

  it('fails retryably when RDS does not accept the role created a moment ago, reporting the role it made', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).rejects(noSuchEntity);
    iam.on(CreateRoleCommand).resolves({ Role: ourRole });
    rds.on(ModifyDBInstanceCommand).rejects(Object.assign(new Error('IAM role ARN value is invalid'), { name: 'InvalidParameterValue' }));
    const error = await bot.run(botContext(bot, { resource: db })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MonitoringRoleNotReady', $retryable: {} });
  });

  it('passes any other RDS error through', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance());
    iam.on(GetRoleCommand).resolves({ Role: ourRole });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: policyArn }] });
    rds.on(ModifyDBInstanceCommand).rejects(Object.assign(new Error('IAM role ARN value is invalid'), { name: 'InvalidParameterValue' }));
    await expect(bot.run(botContext(bot, { resource: db }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('undo reads the interval (with the role while on) and writes the interval back', async () => {
    const undoer = bot.undoers!['enhanced-monitoring']!;
    const ctx = { client: mockedClients, partition: 'aws', account: ACCOUNT, region: 'us-east-1', target: dbArn };
    rds.on(DescribeDBInstancesCommand).resolves(instance({ MonitoringInterval: 60, MonitoringRoleArn: roleArn }));
    expect(await undoer.read(ctx)).toEqual({ MonitoringInterval: 60, MonitoringRoleArn: roleArn });
    await undoer.write(ctx, { MonitoringInterval: 0 });
    expect(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'orders',
      MonitoringInterval: 0,
      ApplyImmediately: false,
    });
    rds.on(DescribeDBInstancesCommand).resolves(instance({ MonitoringInterval: 0, MonitoringRoleArn: roleArn }));
    expect(await undoer.read(ctx)).toEqual({ MonitoringInterval: 0 });
  });

  describe('params', () => {
    const parse = (input: unknown) => bot.meta.params.safeParse(input);
    it('defaults to every 60 s with its own role; interval is positional', () => {
      expect(parse({})).toEqual({ success: true, data: { interval: 60 } });
      expect(bot.meta.positional).toEqual(['interval']);
      expect(parse({ interval: '5' }).data).toEqual({ interval: 5 });
    });
    it.each([[0], [7], ['often'], [120]])('rejects interval=%p', (interval) => {
      expect(parse({ interval }).success).toBe(false);
    });
    it('rejects a role_arn that is not a role ARN, and unknown params', () => {
      expect(parse({ role_arn: 'arn:aws:iam::222222222222:user/bob' }).success).toBe(false);
      expect(parse({ role: 'x' }).success).toBe(false);
    });
  });
});
