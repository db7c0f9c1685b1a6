import { mockClient } from 'aws-sdk-client-mock';
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import bot from '../../../bots/ec2/ec2_update_instance_role';
import { resolveRequestedParams } from '../../../bots/args';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const running = { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'running' as const } }] }] };
const associated = {
  IamInstanceProfileAssociations: [
    {
      InstanceId: 'i-0123456789abcdef0',
      State: 'associated' as const,
      IamInstanceProfile: { Arn: 'arn:aws:iam::222222222222:instance-profile/web' },
    },
  ],
};
const profile = {
  InstanceProfile: {
    InstanceProfileName: 'web',
    InstanceProfileId: 'AIPA',
    Arn: 'arn:aws:iam::222222222222:instance-profile/web',
    Path: '/',
    CreateDate: new Date(),
    Roles: [
      { RoleName: 'web-role', RoleId: 'AROA', Arn: 'arn:aws:iam::222222222222:role/app/web-role', Path: '/app/', CreateDate: new Date() },
    ],
  },
};
const DENY = 'arn:aws:iam::aws:policy/AWSDenyAll';

describe('ec2_update_instance_role', () => {
  const ec2 = mockClient(EC2Client);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    ec2.reset();
    iam.reset();
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    iam.on(GetInstanceProfileCommand).resolves(profile);
  });
  afterAll(() => {
    ec2.restore();
    iam.restore();
  });

  it('attaches the policy to the profile’s role, read and written through sessions naming exactly the profile and role', async () => {
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
    iam.on(AttachRolePolicyCommand).resolves({});
    const narrowed: unknown[] = [];

    const result = await bot.run(botContext(bot, { resource, params: { policy_arn: DENY }, onNarrow: (ids) => narrowed.push(ids) }));

    expect(narrowed).toEqual([{ instanceProfileName: ['web'] }, { instanceProfileName: ['web'], roleName: ['web-role'] }]);
    expect(iam.commandCalls(GetInstanceProfileCommand)[0]!.args[0].input).toEqual({ InstanceProfileName: 'web' });
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-role' });
    expect(iam.commandCalls(AttachRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-role', PolicyArn: DENY });
    expect(result).toEqual({
      status: 'remediated',
      message: `attached ${DENY} to role web-role of i-0123456789abcdef0 (instance profile web; every user of the role is affected)`,
      changes: [
        {
          action: 'iam:AttachRolePolicy',
          target: 'arn:aws:iam::222222222222:role/app/web-role',
          description: `attach ${DENY} (role of instance profile web of i-0123456789abcdef0)`,
          undo: {
            kind: 'role-policy',
            before: { policyArn: DENY, attached: false },
            after: { policyArn: DENY, attached: true },
            ids: { roleName: ['web-role'] },
          },
          applied: true,
        },
      ],
    });
  });

  it('resolves $ACCOUNT_ID and is already compliant when the policy is attached (on a later page)', async () => {
    const own = 'arn:aws:iam::222222222222:policy/quarantine';
    iam
      .on(ListAttachedRolePoliciesCommand)
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: DENY }], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: own }] });
    const result = await bot.run(botContext(bot, { resource, params: { policy_arn: 'arn:aws:iam::$ACCOUNT_ID:policy/quarantine' } }));
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)[1]!.args[0].input).toEqual({ RoleName: 'web-role', Marker: 'm1' });
    expect(result).toEqual({
      status: 'already-compliant',
      message: `${own} is already attached to role web-role of i-0123456789abcdef0`,
      changes: [],
    });
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });

  it('skips an instance without a profile, and a profile without a role', async () => {
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const none = await bot.run(botContext(bot, { resource, params: { policy_arn: DENY } }));
    expect(none).toMatchObject({ status: 'skipped', message: expect.stringContaining('has no instance profile') });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: { ...profile.InstanceProfile, Roles: [] } });
    const empty = await bot.run(botContext(bot, { resource, params: { policy_arn: DENY } }));
    expect(empty).toMatchObject({ status: 'skipped', message: expect.stringContaining('holds no role') });
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });

  it('in dry run reports the change without narrowing, reading IAM or writing', async () => {
    const narrowed: unknown[] = [];
    const result = await bot.run(
      botContext(bot, { resource, params: { policy_arn: DENY }, dryRun: true, onNarrow: (n) => narrowed.push(n) }),
    );
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]?.description).toBe(`attach ${DENY} to the role of instance profile web (not read in dry run)`);
    expect(narrowed).toEqual([]);
    expect(iam.calls()).toHaveLength(0);
  });

  describe('undo', () => {
    const undoer = bot.undoers!['role-policy']!;
    const target = 'arn:aws:iam::222222222222:role/app/web-role';
    const undoContext = () => ({
      client: <C>(ClientClass: new (config: { region: string }) => C) => new ClientClass({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target,
      change: {
        kind: 'role-policy',
        before: { policyArn: DENY, attached: false },
        after: { policyArn: DENY, attached: true },
        ids: { roleName: ['web-role'] },
      },
    });

    it('reads whether the recorded policy is attached to the role (on any page)', async () => {
      iam
        .on(ListAttachedRolePoliciesCommand)
        .resolvesOnce({ AttachedPolicies: [], IsTruncated: true, Marker: 'm1' })
        .resolvesOnce({ AttachedPolicies: [{ PolicyArn: DENY }] })
        .resolvesOnce({ AttachedPolicies: [] });
      expect(await undoer.read(undoContext())).toEqual({ policyArn: DENY, attached: true });
      expect(iam.commandCalls(ListAttachedRolePoliciesCommand)[1]!.args[0].input).toEqual({ RoleName: 'web-role', Marker: 'm1' });
      expect(await undoer.read(undoContext())).toEqual({ policyArn: DENY, attached: false });
    });

    it('detaches the policy from the role, and does nothing else', async () => {
      iam.on(DetachRolePolicyCommand).resolves({});
      await undoer.write(undoContext(), { policyArn: DENY, attached: false });
      expect(iam.commandCalls(DetachRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'web-role', PolicyArn: DENY });
      await expect(undoer.write(undoContext(), { policyArn: DENY, attached: true })).rejects.toThrow('only detaching');
    });

    it('gets a session naming only the recorded role', () => {
      const kind = bot.meta.undo!['role-policy']!;
      if (!kind.reversible) throw new Error('role-policy must be reversible');
      const policy = sessionPolicyFor(kind, {
        partition: 'aws',
        account: '222222222222',
        region: 'us-east-1',
        resourceId: resource.id,
        derived: undoContext().change.ids,
      });
      expect(policy.Statement.map((st) => [st.Action, st.Resource])).toEqual([
        [
          ['iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'],
          ['arn:aws:iam::222222222222:role/*/web-role', 'arn:aws:iam::222222222222:role/web-role'],
        ],
      ]);
    });
  });

  it('takes the policy from the config only', () => {
    expect(bot.meta.params.safeParse({ policy_arn: 'arn:aws:s3:::bucket' }).success).toBe(false);
    expect(bot.meta.sensitiveParams).toEqual({ policy_arn: 'policy' });
    expect(resolveRequestedParams(bot.meta, [DENY], {}, 'finding')).toEqual({
      ok: false,
      error: expect.stringContaining('a finding may not set policy_arn'),
    });
  });
});
