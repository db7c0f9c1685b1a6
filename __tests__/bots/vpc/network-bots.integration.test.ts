/**
 * acl_delete, vpc_isolate and igw_delete against moto, each with its own
 * session policy and narrowed sessions for the ids it read: seed, run, read
 * back, run again (already compliant); vpc_isolate is undone too.
 */
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeVpcAttributeCommand,
  type EC2Client,
  ModifyVpcAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import aclDelete from '../../../bots/vpc/acl_delete';
import igwDelete from '../../../bots/vpc/igw_delete';
import vpcIsolate from '../../../bots/vpc/vpc_isolate';
import type { DerivedIds } from '../../../bots/types';
import { describeMoto } from '../../support/moto';
import { adminEc2, runNetworkBot, seedVpc, undoResult } from './network-moto';

async function aclOf(ec2: EC2Client, subnetId: string): Promise<string | undefined> {
  const { NetworkAcls = [] } = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  return NetworkAcls[0]?.NetworkAclId;
}

async function defaultAcl(ec2: EC2Client, vpcId: string): Promise<string> {
  const { NetworkAcls = [] } = await ec2.send(
    new DescribeNetworkAclsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default', Values: ['true'] },
      ],
    }),
  );
  return NetworkAcls[0]!.NetworkAclId!;
}

async function associate(ec2: EC2Client, subnetId: string, aclId: string): Promise<void> {
  const { NetworkAcls = [] } = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  const association = NetworkAcls[0]!.Associations!.find((a) => a.SubnetId === subnetId)!.NetworkAclAssociationId!;
  await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: aclId }));
}

async function dns(ec2: EC2Client, vpcId: string) {
  const support = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
  const hostnames = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
  return { support: support.EnableDnsSupport?.Value, hostnames: hostnames.EnableDnsHostnames?.Value };
}

describeMoto('network bots against moto', () => {
  it('acl_delete moves the subnets of a custom ACL to the default ACL, deletes it, then finds it gone', async () => {
    const ec2 = await adminEc2();
    const { vpcId, subnetIds } = await seedVpc(ec2);
    const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    await associate(ec2, subnetIds[0]!, aclId);
    const defaultId = await defaultAcl(ec2, vpcId);

    const narrowed: DerivedIds[] = [];
    const first = await runNetworkBot(aclDelete, { type: 'AWS::EC2::NetworkAcl', id: aclId }, { narrowed });
    expect(first.status).toBe('remediated');
    expect(first.message).toBe(`deleted network ACL ${aclId} of ${vpcId}; subnets moved to the default ACL first: ${subnetIds[0]}`);
    expect(narrowed).toEqual([{ networkAclId: [defaultId], subnetId: [subnetIds[0]] }]);
    expect(await aclOf(ec2, subnetIds[0]!)).toBe(defaultId);
    const left = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(left.NetworkAcls!.map((a) => a.NetworkAclId)).toEqual([defaultId]);

    expect((await runNetworkBot(aclDelete, { type: 'AWS::EC2::NetworkAcl', id: aclId })).status).toBe('already-compliant');
    expect((await runNetworkBot(aclDelete, { type: 'AWS::EC2::NetworkAcl', id: defaultId })).status).toBe('skipped');
  });

  it('vpc_isolate puts every subnet behind one tagged deny-all ACL and turns DNS off; undo restores both and keeps the ACL', async () => {
    const ec2 = await adminEc2();
    const { vpcId, subnetIds } = await seedVpc(ec2, 3);
    const custom = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    await associate(ec2, subnetIds[2]!, custom);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const defaultId = await defaultAcl(ec2, vpcId);
    const before = await Promise.all(subnetIds.map((s) => aclOf(ec2, s)));
    expect(before).toEqual([defaultId, defaultId, custom]);
    expect(await dns(ec2, vpcId)).toEqual({ support: true, hostnames: true });

    const first = await runNetworkBot(vpcIsolate, { type: 'AWS::EC2::VPC', id: vpcId });
    expect(first.status).toBe('remediated');
    const { NetworkAcls = [] } = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'tag:cloudmend:created-by', Values: ['vpc_isolate'] }] }),
    );
    expect(NetworkAcls).toHaveLength(1);
    const isolation = NetworkAcls[0]!;
    expect(isolation.Entries!.every((e) => e.RuleAction === 'deny')).toBe(true);
    expect(await Promise.all(subnetIds.map((s) => aclOf(ec2, s)))).toEqual(subnetIds.map(() => isolation.NetworkAclId));
    expect(await dns(ec2, vpcId)).toEqual({ support: false, hostnames: false });

    const second = await runNetworkBot(vpcIsolate, { type: 'AWS::EC2::VPC', id: vpcId });
    expect(second.status).toBe('already-compliant');

    const undone = await undoResult(vpcIsolate, vpcId, first);
    // Every change restored but the isolation ACL's creation, which is kept (irreversible, refused with why).
    expect(undone.map((o) => [o.step.change.action, o.status])).toEqual([
      ['ec2:ModifyVpcAttribute', 'restored'],
      ...subnetIds.map(() => ['ec2:ReplaceNetworkAclAssociation', 'restored']),
      ['ec2:CreateNetworkAcl', 'refused'],
    ]);
    expect(undone.at(-1)!.message).toContain('irreversible: the deny-all network ACL created for the isolation is kept');
    expect(await Promise.all(subnetIds.map((s) => aclOf(ec2, s)))).toEqual(before);
    expect(await dns(ec2, vpcId)).toEqual({ support: true, hostnames: true });
  });

  it('igw_delete stops the instances with public IPs, then detaches and deletes the gateway', async () => {
    const ec2 = await adminEc2();
    const { vpcId, subnetIds } = await seedVpc(ec2, 1);
    const gatewayId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    const launch = (AssociatePublicIpAddress: boolean) =>
      ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetIds[0], AssociatePublicIpAddress }],
        }),
      );
    const publicId = (await launch(true)).Instances![0]!.InstanceId!;
    const privateId = (await launch(false)).Instances![0]!.InstanceId!;

    const narrowed: DerivedIds[] = [];
    const first = await runNetworkBot(igwDelete, { type: 'AWS::EC2::VPC', id: vpcId }, { narrowed });
    expect(first.status).toBe('remediated');
    expect(first.changes.map((c) => c.action)).toEqual(['ec2:StopInstances', 'ec2:DetachInternetGateway', 'ec2:DeleteInternetGateway']);
    expect(narrowed).toEqual([{ internetGatewayId: [gatewayId], vpcId: [vpcId], instanceId: [publicId] }]);
    const states = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [publicId, privateId] }));
    const stateOf = Object.fromEntries(states.Reservations!.flatMap((r) => r.Instances!).map((i) => [i.InstanceId, i.State!.Name]));
    expect(stateOf).toEqual({ [publicId]: 'stopped', [privateId]: 'running' });
    await expect(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [gatewayId] }))).rejects.toMatchObject({
      name: 'InvalidInternetGatewayID.NotFound',
    });

    expect((await runNetworkBot(igwDelete, { type: 'AWS::EC2::VPC', id: vpcId })).status).toBe('already-compliant');
  });
});
