import { mockClient } from 'aws-sdk-client-mock';
import { CreateSnapshotCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import bot from '../../../bots/ec2/ec2_create_snapshot';
import { botContext } from '../../support/bot-context';
import { awsError } from '../../support/aws-error';

const resource = { type: 'AWS::EC2::Instance', id: 'i-0123456789abcdef0' };
const finding = { id: 'finding-42', rule: 'EC2 instance with a compromised credential' };

function withInstance(instance: Partial<Instance>) {
  return { Reservations: [{ Instances: [{ InstanceId: 'i-0123456789abcdef0', State: { Name: 'running' as const }, ...instance }] }] };
}

const twoVolumes = withInstance({
  BlockDeviceMappings: [
    { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } },
    { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-data' } },
  ],
});

function expectedTags(volumeId: string, device: string) {
  return [
    { Key: 'cloudmend:created-by', Value: 'ec2_create_snapshot' },
    { Key: 'cloudmend:finding-id', Value: 'finding-42' },
    { Key: 'cloudmend:rule', Value: 'EC2 instance with a compromised credential' },
    { Key: 'cloudmend:source-instance', Value: 'i-0123456789abcdef0' },
    { Key: 'cloudmend:source-volume', Value: volumeId },
    { Key: 'cloudmend:source-device', Value: device },
  ];
}

describe('ec2_create_snapshot', () => {
  const ec2 = mockClient(EC2Client);
  beforeEach(() => ec2.reset());
  afterAll(() => ec2.restore());

  it('snapshots every attached volume, described with the rule and finding and tagged with the source', async () => {
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    ec2.on(CreateSnapshotCommand, { VolumeId: 'vol-root' }).resolves({ SnapshotId: 'snap-1' });
    ec2.on(CreateSnapshotCommand, { VolumeId: 'vol-data' }).resolves({ SnapshotId: 'snap-2' });

    const result = await bot.run(botContext(bot, { resource, finding }));

    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]!.args[0].input).toEqual({
      OwnerIds: ['self'],
      Filters: [
        { Name: 'tag:cloudmend:finding-id', Values: ['finding-42'] },
        { Name: 'volume-id', Values: ['vol-root', 'vol-data'] },
      ],
    });
    expect(ec2.commandCalls(CreateSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      {
        VolumeId: 'vol-root',
        Description:
          'cloudmend ec2_create_snapshot: vol-root (/dev/xvda) of i-0123456789abcdef0, rule "EC2 instance with a compromised credential", finding finding-42',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: expectedTags('vol-root', '/dev/xvda') }],
      },
      {
        VolumeId: 'vol-data',
        Description:
          'cloudmend ec2_create_snapshot: vol-data (/dev/sdf) of i-0123456789abcdef0, rule "EC2 instance with a compromised credential", finding finding-42',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: expectedTags('vol-data', '/dev/sdf') }],
      },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.message).toBe('snapshotted 2 volume(s) of i-0123456789abcdef0: snap-1 of vol-root, snap-2 of vol-data');
    expect(result.changes[0]).toEqual({
      action: 'ec2:CreateSnapshot',
      target: 'arn:aws:ec2:us-east-1:222222222222:volume/vol-root',
      description: 'snapshot of vol-root (/dev/xvda) of i-0123456789abcdef0 for finding finding-42',
      applied: true,
      undo: { kind: 'forensic-snapshot', before: null, after: null },
    });
  });

  it('skips volumes that already have a snapshot for this finding, so a retried event does not snapshot twice', async () => {
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', VolumeId: 'vol-root', State: 'pending' }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-2' });

    const result = await bot.run(botContext(bot, { resource, finding }));

    expect(ec2.commandCalls(CreateSnapshotCommand).map((c) => c.args[0].input.VolumeId)).toEqual(['vol-data']);
    expect(result.message).toBe(
      'snapshotted 1 volume(s) of i-0123456789abcdef0: snap-2 of vol-data; 1 volume(s) already had one for this finding',
    );
  });

  it('snapshots through credentials naming only the volumes still to snapshot, and asks for none when all are done', async () => {
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2.on(DescribeSnapshotsCommand).resolvesOnce({ Snapshots: [{ SnapshotId: 'snap-1', VolumeId: 'vol-root', State: 'pending' }] });
    ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-2' });
    const narrowed: unknown[] = [];
    await bot.run(botContext(bot, { resource, finding, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([{ volumeId: ['vol-data'] }]);

    ec2.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [
        { SnapshotId: 'snap-1', VolumeId: 'vol-root', State: 'completed' },
        { SnapshotId: 'snap-2', VolumeId: 'vol-data', State: 'completed' },
      ],
    });
    narrowed.length = 0;
    await bot.run(botContext(bot, { resource, finding, onNarrow: (ids) => narrowed.push(ids) }));
    expect(narrowed).toEqual([]);
  });

  it('does not count a failed snapshot as done', async () => {
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', VolumeId: 'vol-root', State: 'error' }] });
    ec2.on(CreateSnapshotCommand).resolves({});
    await bot.run(botContext(bot, { resource, finding }));
    expect(ec2.commandCalls(CreateSnapshotCommand).map((c) => c.args[0].input.VolumeId)).toEqual(['vol-root', 'vol-data']);
  });

  it('follows DescribeSnapshots pages', async () => {
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [{ VolumeId: 'vol-root', State: 'completed' }], NextToken: 'page-2' })
      .resolvesOnce({ Snapshots: [{ VolumeId: 'vol-data', State: 'completed' }] });

    const result = await bot.run(botContext(bot, { resource, finding }));

    expect(ec2.commandCalls(DescribeSnapshotsCommand)[1]!.args[0].input).toMatchObject({ NextToken: 'page-2' });
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'every EBS volume of i-0123456789abcdef0 already has a snapshot for finding finding-42',
      changes: [],
    });
  });

  it('keeps descriptions and tag values within EC2 limits for very long rules and finding ids', async () => {
    const long = { id: 'f'.repeat(300), rule: 'r'.repeat(300) };
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2.on(DescribeSnapshotsCommand).resolves({});
    ec2.on(CreateSnapshotCommand).resolves({});

    await bot.run(botContext(bot, { resource, finding: long }));

    const input = ec2.commandCalls(CreateSnapshotCommand)[0]!.args[0].input;
    expect(input.Description!.length).toBe(255);
    expect(input.Description!.endsWith('...')).toBe(true);
    const tags = input.TagSpecifications![0]!.Tags!;
    expect(tags.every((t) => t.Value!.length <= 256)).toBe(true);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0]!.args[0].input.Filters![0]!.Values).toEqual(['f'.repeat(256)]);
  });

  it('skips an instance with no EBS volume', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ BlockDeviceMappings: [] }));
    const result = await bot.run(botContext(bot, { resource, finding }));
    expect(result.status).toBe('skipped');
    expect(result.message).toBe('instance i-0123456789abcdef0 has no EBS volume attached; nothing to snapshot');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('skips a terminated instance', async () => {
    ec2.on(DescribeInstancesCommand).resolves(withInstance({ State: { Name: 'terminated' } }));
    const result = await bot.run(botContext(bot, { resource, finding }));
    expect(result.status).toBe('skipped');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('in dry run reports one snapshot per volume and creates none', async () => {
    ec2.on(DescribeInstancesCommand).resolves(twoVolumes);
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const result = await bot.run(botContext(bot, { resource, finding, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.message).toBe('dry run, nothing changed: would have snapshotted 2 volume(s) of i-0123456789abcdef0');
    expect(result.changes.map((c) => [c.target, c.applied])).toEqual([
      ['arn:aws:ec2:us-east-1:222222222222:volume/vol-root', false],
      ['arn:aws:ec2:us-east-1:222222222222:volume/vol-data', false],
    ]);
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('rejects a finding whose resource is not an instance id', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::EC2::Volume', id: 'vol-root' } }))).rejects.toThrow(
      'expected an EC2 instance id',
    );
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ description: 'x' }).success).toBe(false);
  });

  it('after a lost CreateSnapshot response finds the snapshot it made instead of making another', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves(withInstance({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } }] }));
    ec2
      .on(DescribeSnapshotsCommand)
      .resolvesOnce({ Snapshots: [] })
      .resolves({ Snapshots: [{ SnapshotId: 'snap-made', VolumeId: 'vol-root', State: 'pending' }] });
    ec2.on(CreateSnapshotCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

    const result = await bot.run(botContext(bot, { resource, finding }));

    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[1]!.args[0].input).toEqual({
      OwnerIds: ['self'],
      Filters: [
        { Name: 'tag:cloudmend:finding-id', Values: ['finding-42'] },
        { Name: 'volume-id', Values: ['vol-root'] },
      ],
    });
    expect(result).toMatchObject({
      status: 'remediated',
      message: 'snapshotted 1 volume(s) of i-0123456789abcdef0: snap-made of vol-root',
    });
  });

  it('tries again when a throttled CreateSnapshot made nothing, and gives up on an error no retry can fix', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves(withInstance({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } }] }));
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    ec2
      .on(CreateSnapshotCommand)
      .rejectsOnce(awsError('RequestLimitExceeded', 'Request limit exceeded', 503))
      .resolves({ SnapshotId: 'snap-2' });
    expect((await bot.run(botContext(bot, { resource, finding }))).message).toContain('snap-2 of vol-root');
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(2);

    ec2.reset();
    ec2
      .on(DescribeInstancesCommand)
      .resolves(withInstance({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } }] }));
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    ec2.on(CreateSnapshotCommand).rejects(awsError('UnauthorizedOperation', 'not authorized', 403));
    await expect(bot.run(botContext(bot, { resource, finding }))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(ec2.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
  });
});
