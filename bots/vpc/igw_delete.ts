import { z } from 'zod';
import type { EC2Client, Instance, InternetGateway } from '@aws-sdk/client-ec2';
import { ChangeSet, alreadyCompliant } from '../changes';
import { defineBot, type BotContext } from '../types';
import { ARN, ec2Arn, idKind } from './network';
import { sdk } from '../sdk';

const NAME = 'igw_delete';
const DELETION = 'internet-gateway-deletion';
const STOP = 'instance-stop';
/** How long the bot waits for the stopped instances to release their public IPs before detaching. */
export const STOP_WAIT = { attempts: 24, delayMs: 5000 };

function hasPublicIp(instance: Instance): boolean {
  return (
    Boolean(instance.PublicIpAddress) ||
    (instance.NetworkInterfaces ?? []).some(
      (eni) => Boolean(eni.Association?.PublicIp) || (eni.PrivateIpAddresses ?? []).some((ip) => ip.Association?.PublicIp),
    )
  );
}

async function gatewaysOf(ec2: EC2Client, id: string): Promise<InternetGateway[]> {
  const { DescribeInternetGatewaysCommand } = await sdk.ec2();
  const input =
    idKind(id) === 'internet-gateway'
      ? { Filters: [{ Name: 'internet-gateway-id', Values: [id] }] }
      : { Filters: [{ Name: 'attachment.vpc-id', Values: [id] }] };
  const { InternetGateways = [] } = await ec2.send(new DescribeInternetGatewaysCommand(input));
  return InternetGateways;
}

async function runningWithPublicIp(ec2: EC2Client, vpcIds: string[]): Promise<Instance[]> {
  if (vpcIds.length === 0) return [];
  const { paginateDescribeInstances } = await sdk.ec2();
  const found: Instance[] = [];
  const filters = [
    { Name: 'vpc-id', Values: vpcIds },
    { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping'] },
  ];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) if (hasPublicIp(instance)) found.push(instance);
  }
  return found;
}

async function waitStopped(ctx: Pick<BotContext, 'log'>, ec2: EC2Client, vpcIds: string[], ids: string[]): Promise<void> {
  for (let attempt = 0; attempt < STOP_WAIT.attempts; attempt += 1) {
    const still = (await runningWithPublicIp(ec2, vpcIds)).filter((i) => i.InstanceId && ids.includes(i.InstanceId));
    if (still.length === 0) return;
    ctx.log.info('waiting for instances to stop before detaching the internet gateway', { instances: still.map((i) => i.InstanceId) });
    await new Promise((resolve) => setTimeout(resolve, STOP_WAIT.delayMs));
  }
  throw new Error(
    `instances ${ids.join(', ')} did not stop in time; the internet gateway is still attached: run again once they are stopped`,
  );
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Stop the instances with public IPs in the VPC, then detach and delete its internet gateway',
    description:
      'For the finding’s VPC (or internet gateway): stops every pending or running instance of the VPC that has a public ' +
      'IPv4 address (EC2 refuses to detach a gateway while one does), waits for them to stop, then detaches the internet ' +
      'gateway from the VPC and deletes it. The VPC loses internet access; the stopped instances keep their volumes and ' +
      'Elastic IPs and are listed in the result (their auto-assigned public IPs are lost). `cloudmend undo` restores ' +
      'neither: a deleted gateway cannot be brought back, and starting the instances is left to a person. Other ' +
      'resources holding public IPs (NAT gateways, load balancers, RDS) are not touched: EC2 then refuses the detach ' +
      'and the bot fails saying so, with the instances already stopped. A VPC without an internet gateway is already compliant.',
    resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::InternetGateway'],
    params: z.strictObject({}),
    destructive: true,
    permissions: [
      {
        actions: ['ec2:DescribeInternetGateways', 'ec2:DescribeInstances'],
        resources: ['*'],
        reason: 'find the gateway of the VPC and its instances with public IPs (no resource-level permissions)',
      },
      {
        actions: ['ec2:StopInstances'],
        resources: [ARN.instance],
        reason: 'stop the instances with public IPs read in the VPC, only those',
      },
      {
        actions: ['ec2:DetachInternetGateway'],
        resources: [ARN.internetGateway('internetGatewayId'), ARN.vpc('vpcId')],
        reason: 'detach the gateway read from the VPC it is attached to',
      },
      { actions: ['ec2:DeleteInternetGateway'], resources: [ARN.internetGateway('internetGatewayId')], reason: 'delete the gateway read' },
    ],
    undo: {
      [DELETION]: { reversible: false, why: 'a deleted internet gateway cannot be brought back; create and attach a new one' },
      [STOP]: {
        reversible: false,
        why: 'cloudmend undo does not start instances: without the gateway they would still have no internet; the result lists them',
      },
    },
  },
  async run(ctx) {
    const id = ctx.finding.resource.id;
    const kind = idKind(id);
    if (kind !== 'vpc' && kind !== 'internet-gateway') {
      throw new Error(`${NAME}: the finding's resource "${id}" is neither a VPC id (vpc-...) nor an internet gateway id (igw-...)`);
    }
    const { EC2Client, DeleteInternetGatewayCommand, DetachInternetGatewayCommand, StopInstancesCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const gateways = await gatewaysOf(ec2, id);
    const gatewayIds = gateways.flatMap((g) => (g.InternetGatewayId ? [g.InternetGatewayId] : []));
    if (gatewayIds.length === 0)
      return alreadyCompliant(kind === 'vpc' ? `VPC ${id} has no internet gateway` : `internet gateway ${id} does not exist`);
    const attachments = gateways.flatMap((g) =>
      (g.Attachments ?? []).flatMap((a) =>
        g.InternetGatewayId && a.VpcId && a.State !== 'detached' ? [{ gatewayId: g.InternetGatewayId, vpcId: a.VpcId }] : [],
      ),
    );
    const vpcIds = [...new Set(attachments.map((a) => a.vpcId))];
    const instances = await runningWithPublicIp(ec2, vpcIds);
    const instanceIds = instances.flatMap((i) => (i.InstanceId && i.State?.Name !== 'stopping' ? [i.InstanceId] : []));

    const changes = new ChangeSet(ctx);
    const writer = ctx.dryRun
      ? ec2
      : (await ctx.narrowTo({ internetGatewayId: gatewayIds, vpcId: vpcIds, ...(instanceIds.length ? { instanceId: instanceIds } : {}) }))(
          EC2Client,
        );
    if (instanceIds.length > 0) {
      const described = instances.map((i) => `${i.InstanceId} (${i.PublicIpAddress ?? 'public IP'})`).join(', ');
      await changes.apply(
        {
          action: 'ec2:StopInstances',
          target: ec2Arn(ctx, 'vpc', vpcIds.join(',')),
          description: `stopped the instances with public IPs in ${vpcIds.join(', ')} so the gateway can be detached: ${described}`,
          undo: { kind: STOP, before: { running: instanceIds }, after: { stopped: instanceIds } },
        },
        () => writer.send(new StopInstancesCommand({ InstanceIds: instanceIds })),
      );
    }
    const stopping = instances.flatMap((i) => (i.InstanceId ? [i.InstanceId] : []));
    if (!ctx.dryRun && stopping.length > 0) await waitStopped(ctx, ec2, vpcIds, stopping);
    for (const { gatewayId, vpcId } of attachments) {
      await changes.apply(
        {
          action: 'ec2:DetachInternetGateway',
          target: ec2Arn(ctx, 'internet-gateway', gatewayId),
          description: `detached internet gateway ${gatewayId} from ${vpcId}`,
          undo: { kind: DELETION, before: { gatewayId, vpcId }, after: null },
        },
        async () => {
          try {
            return await writer.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
          } catch (error) {
            if ((error as { name?: string }).name === 'DependencyViolation') {
              throw new Error(
                `EC2 refused to detach ${gatewayId} from ${vpcId}: something else in the VPC still has a public IP (a NAT gateway, ` +
                  `load balancer or database; igw_delete stops EC2 instances only): ${(error as Error).message}`,
              );
            }
            throw error;
          }
        },
      );
    }
    for (const gatewayId of gatewayIds) {
      await changes.apply(
        {
          action: 'ec2:DeleteInternetGateway',
          target: ec2Arn(ctx, 'internet-gateway', gatewayId),
          description: `deleted internet gateway ${gatewayId}`,
          undo: { kind: DELETION, before: { gatewayId }, after: null },
        },
        () => writer.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gatewayId })),
      );
    }
    const stoppedNote = instanceIds.length > 0 ? `; stopped ${instanceIds.join(', ')} first (start them by hand when wanted)` : '';
    return changes.result(`deleted internet gateway ${gatewayIds.join(', ')} of ${vpcIds.join(', ') || 'no VPC'}${stoppedNote}`);
  },
});
