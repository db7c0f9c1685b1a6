import { z } from 'zod';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import { ec2ArnOf, ec2IdOf, idOfTarget } from './ec2-resource';
import { sdk } from '../sdk';

const SUBNET_ARN = 'arn:{partition}:ec2:{region}:{account}:subnet/{resourceId}';
const KIND = 'map-public-ip-on-launch';

async function mapsPublicIp(ec2: EC2Client, subnetId: string): Promise<boolean> {
  const { DescribeSubnetsCommand } = await sdk.ec2();
  const subnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets?.find((s) => s.SubnetId === subnetId);
  if (!subnet) throw new Error(`subnet ${subnetId} not found (DescribeSubnets returned no such subnet)`);
  return subnet.MapPublicIpOnLaunch === true;
}

async function setMapPublicIp(ec2: EC2Client, subnetId: string, Value: boolean): Promise<void> {
  const { ModifySubnetAttributeCommand } = await sdk.ec2();
  await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value } }));
}

export default defineBot({
  meta: {
    name: 'ec2_subnet_disable_public_ip_auto_assign',
    summary: 'Stop the subnet from auto-assigning public IPv4 addresses',
    description:
      'Sets the subnet attribute MapPublicIpOnLaunch to false (AWS’s DisablePublicIPAutoAssign runbook does the same), ' +
      'so instances launched into it later get no public IPv4 address unless their launch asks for one. Instances ' +
      'running there keep the addresses they have; IPv6 assignment and every other subnet setting are left alone. ' +
      'Undo turns the auto-assignment back on.',
    resourceTypes: ['AWS::EC2::Subnet'],
    remediates: { securityHub: ['EC2.15'], config: ['subnet-auto-assign-public-ip-disabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeSubnets'],
        resources: ['*'],
        reason: 'read the subnet’s attributes (DescribeSubnets supports no resource-level permissions)',
      },
      { actions: ['ec2:ModifySubnetAttribute'], resources: [SUBNET_ARN], reason: 'turn off public IPv4 auto-assignment on the subnet' },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'turns MapPublicIpOnLaunch back on for the subnet',
        permissions: [
          {
            actions: ['ec2:DescribeSubnets'],
            resources: ['*'],
            reason: 'undo: read the subnet’s attributes (no resource-level permissions)',
          },
          { actions: ['ec2:ModifySubnetAttribute'], resources: [SUBNET_ARN], reason: 'undo: turn public IPv4 auto-assignment back on' },
        ],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        return { MapPublicIpOnLaunch: await mapsPublicIp(ctx.client(EC2Client), idOfTarget(ctx.target)) };
      },
      async write(ctx, state) {
        const { EC2Client } = await sdk.ec2();
        await setMapPublicIp(
          ctx.client(EC2Client),
          idOfTarget(ctx.target),
          (state as { MapPublicIpOnLaunch: boolean }).MapPublicIpOnLaunch,
        );
      },
    },
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const subnetId = ec2IdOf(ctx.finding, ['AWS::EC2::Subnet']);
    const changes = new ChangeSet(ctx);
    if (await mapsPublicIp(ec2, subnetId)) {
      await changes.apply(
        {
          action: 'ec2:ModifySubnetAttribute',
          target: ec2ArnOf(ctx, 'AWS::EC2::Subnet', subnetId),
          description: 'MapPublicIpOnLaunch true -> false',
          undo: { kind: KIND, before: { MapPublicIpOnLaunch: true }, after: { MapPublicIpOnLaunch: false } },
        },
        () => setMapPublicIp(ec2, subnetId, false),
      );
    }
    return changes.result(
      `turned off public IPv4 auto-assignment on ${subnetId}`,
      `${subnetId} does not auto-assign public IPv4 addresses`,
    );
  },
});
