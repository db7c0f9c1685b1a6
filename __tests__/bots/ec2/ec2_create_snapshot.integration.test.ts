import { AttachVolumeCommand, CreateVolumeCommand, DescribeSnapshotsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_create_snapshot';
import { botContext } from '../../support/bot-context';
import { describeMoto } from '../../support/moto';
import { adminEc2, botSession, readInstance, seedInstance } from './moto-seed';
import { type FaultProxy, startFaultProxy } from '../../../bench/fault-proxy';
const finding = { id: 'finding-42', rule: 'EC2 instance with a compromised credential' };

/** moto seeds snapshots of its own AMIs in every account, so only tagged ones count. */
async function ourSnapshots(ec2: EC2Client) {
  const filter = { Name: 'tag:cloudmend:created-by', Values: ['ec2_create_snapshot'] };
  return (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [filter] }))).Snapshots!;
}

describeMoto('ec2_create_snapshot against moto', () => {
  it('snapshots each volume once per finding, and again for a new finding', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const zone = (await readInstance(admin, instanceId)).Placement!.AvailabilityZone!;
    const extra = await admin.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 4 }));
    await admin.send(new AttachVolumeCommand({ VolumeId: extra.VolumeId, InstanceId: instanceId, Device: '/dev/sdg' }));
    const volumeIds = (await readInstance(admin, instanceId)).BlockDeviceMappings!.map((m) => m.Ebs!.VolumeId!).sort();
    expect(volumeIds).toHaveLength(2);
    const session = await botSession(bot, instanceId);
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    const first = await bot.run(botContext(bot, { resource, finding, client: session.client }));
    expect(first.status).toBe('remediated');
    const snapshots = await ourSnapshots(admin);
    expect(snapshots.map((s) => s.VolumeId).sort()).toEqual(volumeIds);
    for (const snapshot of snapshots) {
      expect(snapshot.Description).toContain('EC2 instance with a compromised credential');
      expect(snapshot.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'cloudmend:source-instance', Value: instanceId },
          { Key: 'cloudmend:source-volume', Value: snapshot.VolumeId },
          { Key: 'cloudmend:finding-id', Value: 'finding-42' },
        ]),
      );
    }

    const retried = await bot.run(botContext(bot, { resource, finding, client: session.client }));
    expect(retried.status).toBe('already-compliant');

    const next = await bot.run(botContext(bot, { resource, finding: { ...finding, id: 'finding-43' }, client: session.client }));
    expect(next.status).toBe('remediated');
    expect(await ourSnapshots(admin)).toHaveLength(4);
  });
});

describeMoto('ec2_create_snapshot when a CreateSnapshot response is lost', () => {
  let proxy: FaultProxy;
  let direct: string | undefined;
  afterEach(async () => {
    process.env.AWS_ENDPOINT_URL = direct;
    await proxy?.close();
  });

  it('makes one snapshot per volume and reports it, though the first CreateSnapshot response never arrived', async () => {
    const admin = await adminEc2();
    const { instanceId } = await seedInstance(admin);
    const volumeIds = (await readInstance(admin, instanceId)).BlockDeviceMappings!.map((m) => m.Ebs!.VolumeId!);
    const session = await botSession(bot, instanceId);
    direct = process.env.AWS_ENDPOINT_URL;
    let lost = false;
    proxy = await startFaultProxy(direct!, (req) => {
      if (!lost && req.body.includes('Action=CreateSnapshot')) {
        lost = true;
        return 'lose-response';
      }
      return 'pass';
    });
    process.env.AWS_ENDPOINT_URL = proxy.url;
    const resource = { type: 'AWS::EC2::Instance', id: instanceId };

    const result = await bot.run(botContext(bot, { resource, finding, client: session.client }));

    expect(proxy.counts['lose-response']).toBe(1);
    expect(result.status).toBe('remediated');
    const snapshots = await ourSnapshots(admin);
    expect(snapshots.map((s) => s.VolumeId).sort()).toEqual([...volumeIds].sort());
    for (const snapshot of snapshots) expect(result.message).toContain(`${snapshot.SnapshotId} of ${snapshot.VolumeId}`);
  });
});
