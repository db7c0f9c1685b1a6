import { mockClient } from 'aws-sdk-client-mock';
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_detach_instance_role';
import { botContext, mockedClients } from '../../support/bot-context';

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

describe('ec2_detach_instance_role', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('disassociates the live association and records the profile for undo', async () => {
    ec2.on(DescribeInstancesCommand).resolves(running);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves(associated);
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'instance-id', Values: ['i-0123456789abcdef0'] }],
    });
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)[0]!.args[0].input).toEqual({ AssociationId: 'iip-assoc-1' });
    expect(result).toEqual({
      status: 'remediated',
      message: `removed instance profile web-profile from i-0123456789abcdef0 (recorded for undo: ${PROFILE})`,
      changes: [
        {
          action: 'ec2:DisassociateIamInstanceProfile',
          target: ARN,
          description: `instance profile ${PROFILE} (iip-assoc-1) -> none`,
          applied: true,
          undo: { kind: 'instance-profile', before: { instanceProfileArn: PROFILE }, after: { instanceProfileArn: null } },
        },
      ],
    });
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
