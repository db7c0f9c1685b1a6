import { mockClient } from 'aws-sdk-client-mock';
import { DescribeImageAttributeCommand, EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ami_set_to_private';
import { botContext, mockedClients } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const resource = { type: 'AWS::EC2::Image', id: 'ami-0123456789abcdef0' };
const ARN = 'arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0';

describe('ami_set_to_private', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('removes the public launch permission, keeping explicit shares', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [{ Group: 'all' }, { UserId: '333333333333' }] });
    ec2.on(ModifyImageAttributeCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource }));

    expect(ec2.commandCalls(DescribeImageAttributeCommand)[0]!.args[0].input).toEqual({
      ImageId: 'ami-0123456789abcdef0',
      Attribute: 'launchPermission',
    });
    expect(ec2.commandCalls(ModifyImageAttributeCommand)[0]!.args[0].input).toEqual({
      ImageId: 'ami-0123456789abcdef0',
      LaunchPermission: { Remove: [{ Group: 'all' }] },
    });
    expect(result).toEqual({
      status: 'remediated',
      message: 'made ami-0123456789abcdef0 private (removed the public launch permission)',
      changes: [
        {
          action: 'ec2:ModifyImageAttribute',
          target: ARN,
          description: 'launch permission: public (group all) -> removed',
          applied: true,
          undo: { kind: 'launch-permission', before: { public: true }, after: { public: false } },
        },
      ],
    });
  });

  it('is already compliant when the image is not public', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [{ UserId: '333333333333' }] });
    const result = await bot.run(botContext(bot, { resource }));
    expect(result).toEqual({ status: 'already-compliant', message: 'ami-0123456789abcdef0 is not public', changes: [] });
    expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
  });

  it('in dry run writes nothing', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [{ Group: 'all' }] });
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
  });

  it('refuses a finding that is not an image id, before any call', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Image', id: 'my-image' } }))).rejects.toThrow(
      'expected a AWS::EC2::Image id (ami-0123456789abcdef0)',
    );
    expect(ec2.calls()).toHaveLength(0);
  });

  it('passes on an image it may not read (another account’s)', async () => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError('AuthFailure', 'not authorized for image', 400));
    await expect(bot.run(botContext(bot, { resource }))).rejects.toThrow('not authorized for image');
  });

  it('undo reads whether the image is public and makes it public again', async () => {
    const undoer = bot.undoers!['launch-permission']!;
    const ctx = { client: mockedClients, partition: 'aws', account: '222222222222', region: 'us-east-1', target: ARN };
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
    expect(await undoer.read(ctx)).toEqual({ public: false });
    await undoer.write(ctx, { public: true });
    expect(ec2.commandCalls(ModifyImageAttributeCommand)[0]!.args[0].input).toEqual({
      ImageId: 'ami-0123456789abcdef0',
      LaunchPermission: { Add: [{ Group: 'all' }] },
    });
  });
});
