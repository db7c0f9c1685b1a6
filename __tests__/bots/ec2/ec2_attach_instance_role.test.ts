import { mockClient } from 'aws-sdk-client-mock';
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DisassociateIamInstanceProfileCommand,
  DescribeInstancesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import bot, { ATTACHABLE_TAG } from '../../../bots/ec2/ec2_attach_instance_role';
import { resolveRequestedParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const running = { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'running' as const } }] }] };
const profile = (RoleName?: string) => ({
  InstanceProfile: {
    InstanceProfileName: 'ssm-profile',
    InstanceProfileId: 'AIPAEXAMPLE',
    Arn: 'arn:aws:iam::222222222222:instance-profile/ssm-profile',
    Path: '/',
    CreateDate: new Date(),
    Roles: RoleName
      ? [{ RoleName, RoleId: 'AROAEXAMPLE', Arn: `arn:aws:iam::222222222222:role/${RoleName}`, Path: '/', CreateDate: new Date() }]
      : [],
  },
});

describe('ec2_attach_instance_role', () => {
  const ec2 = mockClient(EC2Client);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    ec2.reset();
    iam.reset();
  });
  afterAll(() => {
    ec2.restore();
    iam.restore();
  });

  it('reads the profile’s role through a session naming the profile, then associates it through one naming the role too', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    iam.on(GetInstanceProfileCommand).resolves(profile('ssm-role'));
    ec2.on(AssociateIamInstanceProfileCommand).resolves({});
    const narrowed: unknown[] = [];

    const result = await bot.run(
      botContext(bot, {
        resource,
        params: { instance_profile: 'arn:aws:iam::$ACCOUNT_ID:instance-profile/ssm-profile' },
        onNarrow: (ids) => narrowed.push(ids),
      }),
    );

    expect(narrowed).toEqual([{ instanceProfileName: ['ssm-profile'] }, { instanceProfileName: ['ssm-profile'], roleName: ['ssm-role'] }]);
    expect(iam.commandCalls(GetInstanceProfileCommand)[0]!.args[0].input).toEqual({ InstanceProfileName: 'ssm-profile' });
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)[0]!.args[0].input).toEqual({
      InstanceId: 'i-0123456789abcdef0',
      IamInstanceProfile: { Name: 'ssm-profile' },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'attached instance profile ssm-profile (role ssm-role) to i-0123456789abcdef0',
      changes: [
        {
          action: 'ec2:AssociateIamInstanceProfile',
          target: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0',
          description: 'instance profile none -> ssm-profile (role ssm-role)',
          undo: { kind: 'instance-profile', before: { instanceProfileName: null }, after: { instanceProfileName: 'ssm-profile' } },
          applied: true,
        },
      ],
    });
  });

  it('is already compliant when the instance has that profile', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [
        {
          InstanceId: 'i-0123456789abcdef0',
          State: 'associated',
          IamInstanceProfile: { Arn: 'arn:aws:iam::222222222222:instance-profile/ops/ssm-profile' },
        },
      ],
    });
    const result = await bot.run(botContext(bot, { resource, params: { instance_profile: 'ssm-profile' } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'i-0123456789abcdef0 already has instance profile ssm-profile',
      changes: [],
    });
  });

  it('refuses to replace another profile, pointing at ec2_update_instance_role', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [
        {
          InstanceId: 'i-0123456789abcdef0',
          State: 'associated',
          IamInstanceProfile: { Arn: 'arn:aws:iam::222222222222:instance-profile/app' },
        },
      ],
    });
    const result = await bot.run(botContext(bot, { resource, params: { instance_profile: 'ssm-profile' } }));
    expect(result.status).toBe('skipped');
    expect(result.message).toContain('use ec2_update_instance_role');
    expect(iam.calls()).toHaveLength(0);
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)).toHaveLength(0);
  });

  it('in dry run reports the association without narrowing, reading the profile or writing', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const narrowed: unknown[] = [];
    const result = await bot.run(
      botContext(bot, { resource, params: { instance_profile: 'ssm-profile' }, dryRun: true, onNarrow: (ids) => narrowed.push(ids) }),
    );
    expect(result.status).toBe('dry-run');
    expect(narrowed).toEqual([]);
    expect(iam.calls()).toHaveLength(0);
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)).toHaveLength(0);
  });

  it('fails, writing nothing, when the profile holds no role', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    iam.on(GetInstanceProfileCommand).resolves(profile());
    await expect(bot.run(botContext(bot, { resource, params: { instance_profile: 'ssm-profile' } }))).rejects.toThrow(
      'instance profile ssm-profile holds no role',
    );
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)).toHaveLength(0);
  });

  describe('undo', () => {
    const undoer = bot.undoers!['instance-profile']!;
    const undoContext = () => ({
      client: <C>(ClientClass: new (config: { region: string }) => C) => new ClientClass({ region: 'us-east-1' }),
      partition: 'aws',
      account: '222222222222',
      region: 'us-east-1',
      target: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0',
    });
    const withProfile = {
      IamInstanceProfileAssociations: [
        {
          AssociationId: 'iip-assoc-1',
          InstanceId: 'i-0123456789abcdef0',
          State: 'associated' as const,
          IamInstanceProfile: { Arn: 'arn:aws:iam::222222222222:instance-profile/ops/ssm-profile' },
        },
      ],
    };

    it('reads the profile by name (whatever its path), null without one', async () => {
      ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolvesOnce(withProfile).resolvesOnce({ IamInstanceProfileAssociations: [] });
      expect(await undoer.read(undoContext())).toEqual({ instanceProfileName: 'ssm-profile' });
      expect(await undoer.read(undoContext())).toEqual({ instanceProfileName: null });
    });

    it('removes the profile it attached, and never attaches one', async () => {
      ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(withProfile);
      ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
      await undoer.write(undoContext(), { instanceProfileName: null });
      expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)[0]!.args[0].input).toEqual({ AssociationId: 'iip-assoc-1' });
      await expect(undoer.write(undoContext(), { instanceProfileName: 'other' })).rejects.toThrow('only removing');
      expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)).toHaveLength(0);
    });
  });

  it('refuses a profile ARN in another account before any call', async () => {
    await expect(
      bot.run(botContext(bot, { resource, params: { instance_profile: 'arn:aws:iam::999999999999:instance-profile/admin' } })),
    ).rejects.toThrow("is in account 999999999999 (aws), not the finding's account 222222222222: refused");
    expect(ec2.calls()).toHaveLength(0);
  });

  it('takes the profile from the config only, as a principal, and passes only tagged roles to EC2 only', () => {
    expect(bot.meta.params.safeParse({ instance_profile: 'ssm-profile' }).success).toBe(true);
    expect(bot.meta.params.safeParse({ instance_profile: 'arn:aws:iam::222222222222:role/x' }).success).toBe(false);
    expect(bot.meta.params.safeParse({}).success).toBe(false);
    expect(bot.meta.sensitiveParams).toEqual({ instance_profile: 'principal' });
    const fromFinding = resolveRequestedParams(bot.meta, ['instance_profile=admin'], {}, 'finding');
    expect(fromFinding).toEqual({ ok: false, error: expect.stringContaining('a finding may not set instance_profile') });
    const passRole = bot.meta.permissions.find((p) => p.actions.includes('iam:PassRole'));
    expect(passRole?.conditions).toEqual({
      StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com', [`aws:ResourceTag/${ATTACHABLE_TAG}`]: 'true' },
    });
  });
});
