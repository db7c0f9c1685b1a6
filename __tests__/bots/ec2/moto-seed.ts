/**
 * Seeds EC2 resources in a moto member account for the ec2 bots' integration tests.
 */
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { sessionPolicyFor } from '../../../bots/permissions';
import type { Bot } from '../../../bots/types';
import { memberSession, type MemberSession } from '../../support/moto';

export const MEMBER = '222222222222';
export const REGION = 'us-east-1';

export interface SeededInstance {
  instanceId: string;
  vpcId: string;
  subnetId: string;
  groupIds: string[];
}

export async function adminEc2(): Promise<EC2Client> {
  const admin = await memberSession(MEMBER, REGION);
  return admin.client(EC2Client);
}

/** Credentials scoped by the bot's own session policy, as the handler would assume them. */
export async function botSession(bot: Bot, resourceId: string): Promise<MemberSession> {
  return memberSession(MEMBER, REGION, sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: REGION, resourceId }));
}

/**
 * A running instance in its own VPC with two security groups and one extra EBS
 * volume. Launched with an explicit network interface: moto keeps groups given
 * as SecurityGroupIds on the instance and merges them into every interface's
 * groups, so ModifyNetworkInterfaceAttribute could never replace them there.
 */
export async function seedInstance(ec2: EC2Client): Promise<SeededInstance> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
  const groupIds: string[] = [];
  for (const name of ['web', 'admin']) {
    const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }));
    groupIds.push(group.GroupId!);
  }
  const instanceId = await launchInstance(ec2, subnetId, groupIds);
  return { instanceId, vpcId, subnetId, groupIds };
}

/** Another instance in an existing subnet, with one extra EBS volume; returns its id. */
export async function launchInstance(ec2: EC2Client, subnetId: string, groupIds: string[]): Promise<string> {
  const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
  const launched = await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, Groups: groupIds }],
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 8 } }],
    }),
  );
  return launched.Instances![0]!.InstanceId!;
}

export async function readInstance(ec2: EC2Client, instanceId: string): Promise<Instance> {
  const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return output.Reservations![0]!.Instances![0]!;
}
