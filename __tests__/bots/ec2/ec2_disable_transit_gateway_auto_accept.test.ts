import { mockClient } from 'aws-sdk-client-mock';
import { DescribeTransitGatewaysCommand, EC2Client, ModifyTransitGatewayCommand, type TransitGatewayState } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_disable_transit_gateway_auto_accept';
import { awsError } from '../../support/aws-error';
import { botContext } from '../../support/bot-context';

const id = 'tgw-0123456789abcdef0';
const arn = `arn:aws:ec2:us-east-1:222222222222:transit-gateway/${id}`;
const resource = { type: 'AWS::EC2::TransitGateway', id };
const gateway = (AutoAcceptSharedAttachments: 'enable' | 'disable', State: TransitGatewayState = 'available') => ({
  TransitGateways: [{ TransitGatewayId: id, State, Options: { AutoAcceptSharedAttachments } }],
});

describe('ec2_disable_transit_gateway_auto_accept', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('turns automatic acceptance of shared attachments off, recording that it was on', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves(gateway('enable'));
    const result = await bot.run(botContext(bot, { resource }));
    expect(ec2.commandCalls(DescribeTransitGatewaysCommand)[0]!.args[0].input).toEqual({ TransitGatewayIds: [id] });
    expect(ec2.commandCalls(ModifyTransitGatewayCommand).map((c) => c.args[0].input)).toEqual([
      { TransitGatewayId: id, Options: { AutoAcceptSharedAttachments: 'disable' } },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: `${id} no longer accepts shared attachments automatically`,
      changes: [
        {
          action: 'ec2:ModifyTransitGateway',
          target: arn,
          description: 'AutoAcceptSharedAttachments enable -> disable',
          applied: true,
          undo: {
            kind: 'auto-accept-shared-attachments',
            before: { AutoAcceptSharedAttachments: 'enable' },
            after: { AutoAcceptSharedAttachments: 'disable' },
          },
        },
      ],
    });
  });

  it('is already compliant when auto-acceptance is off', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves(gateway('disable'));
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'already-compliant',
      message: `${id} already leaves shared attachments for someone to accept`,
      changes: [],
    });
    expect(ec2.commandCalls(ModifyTransitGatewayCommand)).toHaveLength(0);
  });

  it('in dry run reports the change and makes no write', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves(gateway('enable'));
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(ec2.commandCalls(ModifyTransitGatewayCommand)).toHaveLength(0);
  });

  it.each([['not found', () => awsError('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`, 400)]])(
    'skips a gateway that is %s',
    async (_what, error) => {
      ec2.on(DescribeTransitGatewaysCommand).rejects(error());
      expect((await bot.run(botContext(bot, { resource }))).status).toBe('skipped');
    },
  );

  it('skips a gateway being deleted rather than modify it', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves(gateway('enable', 'deleting'));
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'skipped',
      message: `transit gateway ${id} does not exist in us-east-1; nothing to change`,
      changes: [],
    });
    expect(ec2.commandCalls(ModifyTransitGatewayCommand)).toHaveLength(0);
  });
});
