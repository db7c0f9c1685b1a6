import { AllocateAddressCommand, AssociateAddressCommand, DescribeAddressesCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_release_eips';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, seedInstance } from './moto-seed';

describeMoto('ec2_release_eips against moto', () => {
  it("releases the instance's Elastic IP and leaves other addresses alone, then reports already-compliant", async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const other = await seedInstance(admin);
    const ours = await admin.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const theirs = await admin.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const spare = await admin.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    await admin.send(new AssociateAddressCommand({ AllocationId: ours.AllocationId, InstanceId: instanceId }));
    await admin.send(new AssociateAddressCommand({ AllocationId: theirs.AllocationId, InstanceId: other.instanceId }));
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.message).toContain(ours.PublicIp!);

    const left = (await admin.send(new DescribeAddressesCommand({}))).Addresses!.map((a) => a.AllocationId).sort();
    expect(left).toEqual([theirs.AllocationId, spare.AllocationId].sort());

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');
  });
});
