import { CreateTransitGatewayCommand, DescribeTransitGatewaysCommand, EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_disable_transit_gateway_auto_accept';
import { sessionPolicyFor } from '../../../bots/permissions';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';

describeMoto('ec2_disable_transit_gateway_auto_accept against moto', () => {
  const account = '222222222222';
  const region = 'us-east-1';

  it('turns auto-acceptance off on the finding’s gateway only, then is already compliant; undo turns it back on', async () => {
    const admin = await memberSession(account, region);
    const ec2 = admin.client(EC2Client);
    const create = async () =>
      (await ec2.send(new CreateTransitGatewayCommand({ Options: { AutoAcceptSharedAttachments: 'enable' } }))).TransitGateway!
        .TransitGatewayId!;
    const id = await create();
    const neighbour = await create();

    const scope = { partition: 'aws', account, region, resourceId: id };
    const session = await memberSession(account, region, sessionPolicyFor(bot.meta, scope));
    const resource = { type: 'AWS::EC2::TransitGateway', id };
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');

    const setting = async (gatewayId: string) =>
      (await ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [gatewayId] }))).TransitGateways?.[0]?.Options
        ?.AutoAcceptSharedAttachments;
    expect(await setting(id)).toBe('disable');
    expect(await setting(neighbour)).toBe('enable');
    expect((await bot.run(botContext(bot, { resource, client: session.client }))).status).toBe('already-compliant');

    const change = first.changes[0]!;
    const kind = bot.meta.undo!['auto-accept-shared-attachments']!;
    const undoSession = await memberSession(
      account,
      region,
      sessionPolicyFor({ permissions: kind.reversible ? kind.permissions : [] }, scope),
    );
    const undoer = bot.undoers!['auto-accept-shared-attachments']!;
    const context = { client: undoSession.client, partition: 'aws', account, region, target: change.target };
    expect(await undoer.read(context)).toEqual(change.undo!.after);
    await undoer.write(context, change.undo!.before);
    expect(await setting(id)).toBe('enable');
  });
});
