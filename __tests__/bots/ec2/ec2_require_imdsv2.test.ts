import { mockClient } from 'aws-sdk-client-mock';
import { DescribeInstancesCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, type Instance } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_require_imdsv2';
import { botContext, mockedClients } from '../../support/bot-context';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0';

function withInstance(instance: Partial<Instance>) {
  return { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'running' as const }, ...instance }] }] };
}

describe('ec2_require_imdsv2', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('requires session tokens, and only that', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' } }));
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)[0]!.args[0].input).toEqual({
      InstanceId: 'i-0123456789abcdef0',
      HttpTokens: 'required',
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'required IMDSv2 on i-0123456789abcdef0',
      changes: [
        {
          action: 'ec2:ModifyInstanceMetadataOptions',
          target: ARN,
          description: 'HttpTokens optional -> required (IMDSv2 only)',
          applied: true,
          undo: { kind: 'imds-tokens', before: { HttpTokens: 'optional' }, after: { HttpTokens: 'required' } },
        },
      ],
    });
  });

  it('is already compliant when tokens are required', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ MetadataOptions: { HttpTokens: 'required' } }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: 'i-0123456789abcdef0 already requires IMDSv2', changes: [] });
    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)).toHaveLength(0);
  });

  it('treats missing metadata options as optional tokens', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({}));
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes[0]?.description).toBe('HttpTokens optional -> required (IMDSv2 only)');
    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)).toHaveLength(0);
  });

  it('skips a terminated instance', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'terminated' } }));
    const result = await bot.run(botContext(bot, { resource }));
    expect(result.status).toBe('skipped');
    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)).toHaveLength(0);
  });

  it('refuses a finding that is not an instance, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Volume', id: 'vol-0123456789abcdef0' } }))).rejects.toThrow(
      'expected an EC2 instance id',
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('maps EC2.8 and the Config rule to itself', () => {
    expect(bot.meta.remediates).toEqual({ securityHub: ['EC2.8'], config: ['ec2-imdsv2-check'] });
  });

  it('undo reads the tokens setting and makes tokens optional again', async () => {
    const undoer = bot.undoers!['imds-tokens']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ MetadataOptions: { HttpTokens: 'required' } }));
    expect(await undoer.read(ctx)).toEqual({ HttpTokens: 'required' });
    await undoer.write(ctx, { HttpTokens: 'optional' });
    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand)[0]!.args[0].input).toEqual({
      InstanceId: 'i-0123456789abcdef0',
      HttpTokens: 'optional',
    });
  });
});
