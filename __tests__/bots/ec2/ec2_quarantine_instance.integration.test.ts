import { AttachNetworkInterfaceCommand, CreateNetworkInterfaceCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_quarantine_instance';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, launchInstance, readInstance, seedInstance } from './moto-seed';
const ourTag = [{ Key: 'cloudmend:created-by', Value: 'ec2_quarantine_instance' }];

describeMoto('ec2_quarantine_instance against moto', () => {
  it('quarantines every interface of an instance, then reports already-compliant; a neighbour reuses the group', async () => {
    const admin = await adminEc2();
    const seeded = await seedInstance(admin);
    const second = await admin.send(new CreateNetworkInterfaceCommand({ SubnetId: seeded.subnetId, Groups: [seeded.groupIds[1]!] }));
    await admin.send(
      new AttachNetworkInterfaceCommand({
        NetworkInterfaceId: second.NetworkInterface!.NetworkInterfaceId,
        InstanceId: seeded.instanceId,
        DeviceIndex: 1,
      }),
    );
    const session = await botSession(bot, seeded.instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: seeded.instanceId };

    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(first.message).toContain(seeded.groupIds[0]!);

    const { SecurityGroups: found = [] } = await admin.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['cloudmend-quarantine'] }] }),
    );
    expect(found).toHaveLength(1);
    const quarantine = found[0]!;
    expect(quarantine.VpcId).toBe(seeded.vpcId);
    expect(quarantine.IpPermissions).toEqual([]);
    expect(quarantine.IpPermissionsEgress).toEqual([]);
    expect(quarantine.Tags).toEqual(ourTag);
    const interfaces = (await readInstance(admin, seeded.instanceId)).NetworkInterfaces!;
    expect(interfaces).toHaveLength(2);
    for (const attached of interfaces) expect(attached.Groups!.map((g) => g.GroupId)).toEqual([quarantine.GroupId]);

    const again = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(again.status).toBe('already-compliant');

    const neighbour = await launchInstance(admin, seeded.subnetId, [seeded.groupIds[0]!]);
    const neighbourSession = await botSession(bot, neighbour);
    const neighbourResult = await bot.run(
      botContext(bot, { resource: { type: 'AWS::EC2::Instance', id: neighbour }, client: neighbourSession.client }),
    );
    expect(neighbourResult.changes.map((c) => c.action)).toEqual(['ec2:ModifyNetworkInterfaceAttribute']);
    const sameVpcGroups = await admin.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [seeded.vpcId] },
          { Name: 'group-name', Values: ['cloudmend-quarantine'] },
        ],
      }),
    );
    expect(sameVpcGroups.SecurityGroups).toHaveLength(1);
  });
});
