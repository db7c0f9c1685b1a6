import { mockClient } from 'aws-sdk-client-mock';
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import bot from '../../../bots/ec2/ec2_detach_instance_role';
import type { DerivedIds } from '../../../bots/types';
import { awsError } from '../../support/aws-error';
import { botContext, mockedClients } from '../../support/bot-context';
import { undoSteps } from '../../support/undo-through-session';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0';
const PROFILE = 'arn:aws:iam::222222222222:instance-profile/app/web-profile';
const running = { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'running' as const } }] }] };
const associated = {
  IamInstanceProfileAssociations: [
    {
      AssociationId: 'iip-assoc-old',
      InstanceId: 'i-0123456789abcdef0',
      State: 'disassociated' as const,
      IamInstanceProfile: { Arn: 'x' },
    },
    { AssociationId: 'iip-assoc-1', InstanceId: 'i-0123456789abcdef0', State: 'associated' as const, IamInstanceProfile: { Arn: PROFILE } },
  ],
};

const webRole = {
  RoleName: 'web-role',
  RoleId: 'AROAEXAMPLE',
  Arn: 'arn:aws:iam::222222222222:role/web-role',
  Path: '/',
  CreateDate: new Date(),
};
const profile = (Roles: (typeof webRole)[]) => ({
  InstanceProfile: {
    InstanceProfileName: 'web-profile',
    InstanceProfileId: 'AIPAEXAMPLE',
    Arn: PROFILE,
    Path: '/app/',
    CreateDate: new Date(),
    Roles,
  },
});
const scope = { account: '222222222222', region: 'us-east-1', resourceId: resource.id };

describe('ec2_detach_instance_role', () => {
  const ec2 = mockClient(EC2Client);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    ec2.reset();
    iam.reset();
    iam.on(GetInstanceProfileCommand).resolves(profile([webRole]));
  });
  afterAll(() => {
    ec2.restore();
    iam.restore();
  });

  it('disassociates the live association and records the profile and its role (read through a session naming the profile) for undo', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    const narrowed: DerivedIds[] = [];

    const result = await bot.run(botContext(bot, { resource, onNarrow: (ids) => narrowed.push(ids) }));

    expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'instance-id', Values: ['i-0123456789abcdef0'] }],
    });
    expect(narrowed).toEqual([{ instanceProfileName: ['web-profile'] }]);
    expect(iam.commandCalls(GetInstanceProfileCommand).map((c) => c.args[0].input)).toEqual([{ InstanceProfileName: 'web-profile' }]);
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)[0]!.args[0].input).toEqual({ AssociationId: 'iip-assoc-1' });
    expect(result).toEqual({
      status: 'remediated',
      message: `removed instance profile web-profile from i-0123456789abcdef0 (recorded for undo: ${PROFILE})`,
      changes: [
        {
          action: 'ec2:DisassociateIamInstanceProfile',
          target: ARN,
          description: `instance profile ${PROFILE} (iip-assoc-1; role web-role) -> none`,
          applied: true,
          undo: {
            kind: 'instance-profile',
            before: { instanceProfileArn: PROFILE },
            after: { instanceProfileArn: null },
            ids: { roleName: ['web-role'] },
          },
        },
      ],
    });

    // The undo session may hand EC2 the recorded role, and no other.
    const [step] = undoSteps(bot.meta.name, result.changes, scope);
    expect(step!.refusal).toBeUndefined();
    expect(step!.sessionPolicy!.Statement.filter((s) => s.Action.includes('iam:PassRole'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: ['arn:aws:iam::222222222222:role/*/web-role', 'arn:aws:iam::222222222222:role/web-role'],
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
    ]);
  });

  it('records no role for a profile without one (or deleted while associated): undo then passes no role', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    iam
      .on(GetInstanceProfileCommand)
      .resolvesOnce(profile([]))
      .rejectsOnce(awsError('NoSuchEntityException', 'no such profile', 404));

    for (let run = 0; run < 2; run++) {
      const result = await bot.run(botContext(bot, { resource }));
      expect(result.changes.map((c) => [c.description, c.undo?.ids])).toEqual([
        [`instance profile ${PROFILE} (iip-assoc-1; role none) -> none`, { roleName: [] }],
      ]);
      const [step] = undoSteps(bot.meta.name, result.changes, scope);
      expect(step!.refusal).toBeUndefined();
      expect(step!.sessionPolicy!.Statement.flatMap((s) => s.Action)).not.toContain('iam:PassRole');
    }
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)).toHaveLength(2);
  });

  it('fails, detaching nothing, when the profile cannot be read', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    iam.on(GetInstanceProfileCommand).rejects(awsError('AccessDenied', 'no', 403));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)).toHaveLength(0);
  });

  it('refuses to undo a removal recorded without the profile’s role (before undo sessions named it)', () => {
    const change = {
      action: 'ec2:DisassociateIamInstanceProfile',
      target: ARN,
      description: 'd',
      applied: true,
      undo: { kind: 'instance-profile', before: { instanceProfileArn: PROFILE }, after: { instanceProfileArn: null } },
    };
    const [step] = undoSteps(bot.meta.name, [change], scope);
    expect(step!.refusal).toBe(
      'the change record names no roleName for its undo session (recorded before ec2_detach_instance_role recorded them), ' +
        `and undo is never granted more than the record names; restore by hand to {"instanceProfileArn":"${PROFILE}"}`,
    );
  });

  it('is already compliant without a live association', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolves({ IamInstanceProfileAssociations: [associated.IamInstanceProfileAssociations[0]!] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: 'i-0123456789abcdef0 has no instance profile', changes: [] });
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)).toHaveLength(0);
  });

  it('in dry run writes nothing; a terminated instance is skipped', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    expect((await bot.run(botContext(bot, { resource, dryRun: true }))).status).toBe('dry-run');
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'terminated' } }] }] });
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('skipped');
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)).toHaveLength(0);
  });

  it('undo reads the association and associates the recorded profile again', async () => {
    const undoer = bot.undoers!['instance-profile']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    expect(await undoer.read(ctx)).toEqual({ instanceProfileArn: null });
    await undoer.write(ctx, { instanceProfileArn: PROFILE });
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)[0]!.args[0].input).toEqual({
      InstanceId: 'i-0123456789abcdef0',
      IamInstanceProfile: { Arn: PROFILE },
    });
  });
});
