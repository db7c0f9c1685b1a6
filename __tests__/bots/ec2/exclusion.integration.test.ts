/**
 * The exclusion tag on the resource types the wave-2b ec2 bots act on, against moto: the handler's
 * live tag lookup reads it from the member account and the plan rejects the bot's run, so the
 * resource is left alone. Subnets, key pairs, EBS snapshots and AMIs. The last two are read with
 * EC2's DescribeTags by id: their ARNs carry no account, and moto 5.2.1's tag:GetResources names
 * them with one, which is exactly the mismatch an exclusion must not depend on.
 */
import {
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import amiSetToPrivate from '../../../bots/ec2/ami_set_to_private';
import ebsSnapshotSetToPrivate from '../../../bots/ec2/ebs_snapshot_set_to_private';
import ec2DeleteKeyPair from '../../../bots/ec2/ec2_delete_key_pair';
import ec2SubnetDisable from '../../../bots/ec2/ec2_subnet_disable_public_ip_auto_assign';
import type { Bot, ResourceType } from '../../../bots/types';
import { screenByLookedUpTags } from '../../../handler/plan';
import { lookUpResourceTags } from '../../../handler/resource-tags';
import type { SourcedFinding } from '../../../handler/sources/types';
import { runtimeConfig } from '../../handler/support';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, REGION, adminEc2, seedInstance } from './moto-seed';

const EXCLUDE = [{ Key: 'cloudmend:exclude', Value: 'true' }];

function finding(type: ResourceType, id: string): SourcedFinding {
  return {
    source: 'securityhub',
    id: `f-${id}`,
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: MEMBER,
    region: REGION,
    resource: { type, id },
    requestedActions: [],
    raw: {},
    notes: [],
  };
}

const seeds: Array<[string, Bot, ResourceType, (ec2: EC2Client) => Promise<string>]> = [
  [
    'a subnet',
    ec2SubnetDisable,
    'AWS::EC2::Subnet',
    async (ec2) => {
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
      return (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.9.1.0/24' }))).Subnet!.SubnetId!;
    },
  ],
  [
    'an EBS snapshot',
    ebsSnapshotSetToPrivate,
    'AWS::EC2::Snapshot',
    async (ec2) => {
      const volumeId = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}a`, Size: 1 }))).VolumeId!;
      return (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId }))).SnapshotId!;
    },
  ],
  [
    'an AMI',
    amiSetToPrivate,
    'AWS::EC2::Image',
    async (ec2) => {
      const { instanceId } = await seedInstance(ec2);
      return (await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'kept-image' }))).ImageId!;
    },
  ],
];

describeMoto('the exclusion tag on the wave-2b ec2 resource types', () => {
  const credentials = {
    forRun: async () => ({
      credentials: (await memberSession(MEMBER, REGION)).credentials,
      sessionPolicy: { Version: '2012-10-17' as const, Statement: [] },
    }),
  };

  it.each(seeds)('%s carrying the exclusion tag is read live and its bot’s run rejected', async (_label, bot, type, seed) => {
    const ec2 = await adminEc2();
    const id = await seed(ec2);
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: EXCLUDE }));
    const f = finding(type, id);

    const lookup = await lookUpResourceTags(f, { credentials });
    expect(lookup).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': 'true' } });
    const screened = screenByLookedUpTags([{ finding: f, bot, params: {}, requestedBy: 'finding' }], lookup, runtimeConfig());
    expect(screened.runs).toEqual([]);
    expect(screened.rejections).toEqual([expect.objectContaining({ code: 'resource-excluded' })]);
  });

  it('a key pair carrying the exclusion tag is read live and ec2_delete_key_pair’s run rejected', async () => {
    const ec2 = await adminEc2();
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'kept-key', TagSpecifications: [{ ResourceType: 'key-pair', Tags: EXCLUDE }] }));
    const f = finding('AWS::EC2::KeyPair', 'kept-key');
    const lookup = await lookUpResourceTags(f, { credentials });
    expect(lookup).toMatchObject({ status: 'found', tags: { 'cloudmend:exclude': 'true' } });
    const screened = screenByLookedUpTags(
      [{ finding: f, bot: ec2DeleteKeyPair, params: {}, requestedBy: 'finding' }],
      lookup,
      runtimeConfig(),
    );
    expect(screened.runs).toEqual([]);
    expect(screened.rejections).toEqual([expect.objectContaining({ code: 'resource-excluded' })]);
  });
});
