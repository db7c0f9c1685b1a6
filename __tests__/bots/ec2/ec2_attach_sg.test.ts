import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_attach_sg';
import { botContext, mockedClients } from '../../support/bot-context';
import { undoSteps } from '../../support/undo-through-session';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0';
const scope = { account: '222222222222', region: 'us-east-1', resourceId: resource.id };
const ec2Arn = (kind: string, id: string) => `arn:aws:ec2:us-east-1:222222222222:${kind}/${id}`;

function withInstance(extra: Partial<Instance> = {}, groups = ['sg-web']) {
  return {
    Reservations: [
      {
        Instances: [
          {
            InstanceId: 'i-0123456789abcdef0',
            State: { Name: 'running' as const },
            VpcId: 'vpc-1',
            NetworkInterfaces: [
              { NetworkInterfaceId: 'eni-2', VpcId: 'vpc-1', Attachment: { DeviceIndex: 1 }, Groups: [{ GroupId: 'sg-web' }] },
              {
                NetworkInterfaceId: 'eni-1',
                VpcId: 'vpc-1',
                Attachment: { DeviceIndex: 0 },
                Groups: groups.map((GroupId) => ({ GroupId })),
              },
            ],
            ...extra,
          },
        ],
      },
    ],
  };
}
const monitoring = { GroupId: 'sg-0123456789abcdef0', GroupName: 'monitoring', VpcId: 'vpc-1' };

describe('ec2_attach_sg', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('adds the group named in the instance’s VPC to the primary interface, keeping its groups, through a session naming them', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({}, ['sg-web', 'sg-admin']));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [monitoring] });
    ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
    const narrowed: unknown[] = [];

    const result = await bot.run(
      botContext(bot, { resource, params: { security_group: 'monitoring' }, onNarrow: (ids) => narrowed.push(ids) }),
    );

    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-1'] },
        { Name: 'group-name', Values: ['monitoring'] },
      ],
    });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0]!.args[0].input).toEqual({
      NetworkInterfaceId: 'eni-1',
      Groups: ['sg-web', 'sg-admin', 'sg-0123456789abcdef0'],
    });
    expect(narrowed).toEqual([{ networkInterfaceId: ['eni-1'], securityGroupId: ['sg-web', 'sg-admin', 'sg-0123456789abcdef0'] }]);
    expect(result).toEqual({
      status: 'remediated',
      message: 'attached sg-0123456789abcdef0 (monitoring) to eni-1 of i-0123456789abcdef0',
      changes: [
        {
          action: 'ec2:ModifyNetworkInterfaceAttribute',
          target: ARN,
          description:
            'eni-1 of i-0123456789abcdef0: sg-web, sg-admin -> sg-web, sg-admin, sg-0123456789abcdef0 (added sg-0123456789abcdef0 (monitoring))',
          applied: true,
          undo: {
            kind: 'interface-groups',
            before: { networkInterfaceId: 'eni-1', groups: ['sg-admin', 'sg-web'] },
            after: { networkInterfaceId: 'eni-1', groups: ['sg-0123456789abcdef0', 'sg-admin', 'sg-web'] },
            ids: { networkInterfaceId: ['eni-1'], securityGroupId: ['sg-admin', 'sg-web'] },
          },
        },
      ],
    });

    // Undo sets the groups back through a session naming that interface and those groups: not the attached one, no other.
    const [step] = undoSteps(bot.meta.name, result.changes, scope);
    expect(step!.refusal).toBeUndefined();
    expect(step!.sessionPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: ['*'] },
        {
          Effect: 'Allow',
          Action: ['ec2:ModifyNetworkInterfaceAttribute'],
          Resource: [ARN, ec2Arn('network-interface', 'eni-1'), ec2Arn('security-group', 'sg-admin'), ec2Arn('security-group', 'sg-web')],
        },
      ],
    });
  });

  it('refuses to undo a change recorded without its interface and groups (before undo sessions named them)', () => {
    const change = {
      action: 'ec2:ModifyNetworkInterfaceAttribute',
      target: ARN,
      description: 'd',
      applied: true,
      undo: {
        kind: 'interface-groups',
        before: { networkInterfaceId: 'eni-1', groups: ['sg-web'] },
        after: { networkInterfaceId: 'eni-1', groups: ['sg-0123456789abcdef0', 'sg-web'] },
      },
    };
    const [step] = undoSteps(bot.meta.name, [change], scope);
    expect(step!.refusal).toBe(
      'the change record names no networkInterfaceId or securityGroupId for its undo session (recorded before ec2_attach_sg recorded them), ' +
        'and undo is never granted more than the record names; restore by hand to {"groups":["sg-web"],"networkInterfaceId":"eni-1"}',
    );
  });

  it('looks a group id up in the instance’s VPC only', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance());
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    await expect(bot.run(botContext(bot, { resource, params: { security_group: 'sg-0fedcba9876543210' } }))).rejects.toThrow(
      'security group sg-0fedcba9876543210 not found in vpc-1, the VPC of i-0123456789abcdef0',
    );
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-1'] },
        { Name: 'group-id', Values: ['sg-0fedcba9876543210'] },
      ],
    });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('is already compliant when the primary interface has the group', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({}, ['sg-web', 'sg-0123456789abcdef0']));
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [monitoring] });
    const result = await bot.run(botContext(bot, { resource, params: { security_group: 'sg-0123456789abcdef0' } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'eni-1 of i-0123456789abcdef0 already has sg-0123456789abcdef0 (monitoring)',
      changes: [],
    });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('in dry run narrows nothing and writes nothing', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance());
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [monitoring] });
    const narrowed: unknown[] = [];
    const result = await bot.run(
      botContext(bot, { resource, params: { security_group: 'monitoring' }, dryRun: true, onNarrow: (ids) => narrowed.push(ids) }),
    );
    expect(result.status).toBe('dry-run');
    expect(narrowed).toEqual([]);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('skips a terminated instance and one without a primary interface', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'terminated' } }));
    expect((await bot.run(botContext(bot, { resource, params: { security_group: 'monitoring' } }))).status).toBe('skipped');
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ NetworkInterfaces: [] }));
    expect((await bot.run(botContext(bot, { resource, params: { security_group: 'monitoring' } }))).status).toBe('skipped');
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('takes the group from the config only: required, never from a finding', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(false);
    expect(bot.meta.params.safeParse({ security_group: 'monitoring' }).success).toBe(true);
    expect(bot.meta.overridable).toEqual([]);
  });

  it('undo reads the primary interface’s groups and sets them back', async () => {
    const undoer = bot.undoers!['interface-groups']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };
    ec2.on(DescribeInstancesCommand).resolves(withInstance({}, ['sg-web', 'sg-0123456789abcdef0']));
    expect(await undoer.read(ctx)).toEqual({ networkInterfaceId: 'eni-1', groups: ['sg-0123456789abcdef0', 'sg-web'] });
    await undoer.write(ctx, { networkInterfaceId: 'eni-1', groups: ['sg-web'] });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0]!.args[0].input).toEqual({
      NetworkInterfaceId: 'eni-1',
      Groups: ['sg-web'],
    });
  });
});
