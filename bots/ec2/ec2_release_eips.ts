import { z } from 'zod';
import type { Address, EC2Client as Ec2 } from '@aws-sdk/client-ec2';
import { ChangeSet } from '../changes';
import { defineBot, type BotContext } from '../types';
import { instanceIdOf } from './instance';
import { sdk } from '../sdk';

/** Only the addresses read as associated with the instance, and the interfaces they are on. */
const ELASTIC_IP_ARN = 'arn:{partition}:ec2:{region}:{account}:elastic-ip/{allocationId}';
const NETWORK_INTERFACE_ARN = 'arn:{partition}:ec2:{region}:{account}:network-interface/{networkInterfaceId}';

function elasticIpArn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, allocationId: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:elastic-ip/${allocationId}`;
}

export default defineBot({
  meta: {
    name: 'ec2_release_eips',
    summary: 'Disassociate and release every Elastic IP associated with the instance',
    description:
      'Finds the Elastic IPs associated with the instance (on any of its network interfaces), disassociates each and ' +
      'releases it back to AWS. Flagged destructive: a released address is usually gone for good, and DNS records ' +
      'still pointing at it can be taken over by whoever is allocated it next. The result lists the public IPs released.',
    resourceTypes: ['AWS::EC2::Instance'],
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeAddresses'],
        resources: ['*'],
        reason: "find the instance's Elastic IPs (DescribeAddresses supports no resource-level permissions)",
      },
      {
        // The instance cannot be named in these actions' resources: its addresses and interfaces, read first, are.
        actions: ['ec2:DisassociateAddress', 'ec2:ReleaseAddress'],
        resources: [ELASTIC_IP_ARN],
        reason: "detach each of the instance's Elastic IPs and release it",
      },
      {
        // Its own permission: an address read without an interface still gets the one above.
        actions: ['ec2:DisassociateAddress'],
        resources: [NETWORK_INTERFACE_ARN],
        reason: 'detach the Elastic IP from the network interface of the instance it is associated with',
      },
    ],
    destructive: true,
    undo: {
      'address-release': {
        reversible: false,
        why: 'a released Elastic IP goes back to AWS and may be allocated to anyone: it cannot be associated again (disassociating it was the first step of that release)',
      },
    },
  },
  async run(ctx) {
    const { EC2Client, DescribeAddressesCommand, DisassociateAddressCommand, ReleaseAddressCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const instanceId = instanceIdOf(ctx.finding);
    const { Addresses = [] } = await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }));

    // Validated before any write, so an odd address never leaves the others half released.
    const releasable = Addresses.map((address) => ({ address, allocationId: requireAllocationId(address) }));
    const changes = new ChangeSet(ctx);
    // Each address with the interface it is on, in a session of its own.
    const batches = chunkAddresses(releasable, ADDRESSES_PER_SESSION);
    const sessions = new Map<number, Promise<Ec2>>();
    const writerFor = (allocationId: string): Promise<Ec2> => {
      if (ctx.dryRun) return Promise.resolve(ec2);
      const index = Math.max(
        0,
        batches.findIndex((batch) => batch.some((r) => r.allocationId === allocationId)),
      );
      if (!sessions.has(index)) {
        const batch = batches[index] ?? [];
        sessions.set(
          index,
          ctx
            .narrowTo({
              allocationId: batch.map((r) => r.allocationId),
              networkInterfaceId: batch.flatMap((r) => (r.address.NetworkInterfaceId ? [r.address.NetworkInterfaceId] : [])),
            })
            .then((factory) => factory(EC2Client)),
        );
      }
      return sessions.get(index)!;
    };
    for (const { address, allocationId } of releasable) {
      const target = elasticIpArn(ctx, allocationId);
      if (address.AssociationId) {
        const associationId = address.AssociationId;
        await changes.apply(
          {
            action: 'ec2:DisassociateAddress',
            target,
            description: `${address.PublicIp} (${allocationId}) disassociated from ${instanceId}`,
            undo: { kind: 'address-release', before: null, after: null },
          },
          async () => (await writerFor(allocationId)).send(new DisassociateAddressCommand({ AssociationId: associationId })),
        );
      }
      await changes.apply(
        {
          action: 'ec2:ReleaseAddress',
          target,
          description: `${address.PublicIp} (${allocationId}) released`,
          undo: { kind: 'address-release', before: null, after: null },
        },
        async () =>
          (await writerFor(allocationId)).send(
            new ReleaseAddressCommand({
              AllocationId: allocationId,
              // Local Zone addresses are only found in their own border group.
              ...(address.NetworkBorderGroup ? { NetworkBorderGroup: address.NetworkBorderGroup } : {}),
            }),
          ),
      );
    }
    const released = Addresses.map((a) => `${a.PublicIp} (${a.AllocationId})`).join(', ');
    return changes.result(
      `released ${Addresses.length} Elastic IP(s) of ${instanceId}: ${released}`,
      `no Elastic IP is associated with ${instanceId}`,
    );
  },
});

/**
 * One address (with its interface) per narrowed session: DisassociateAddress
 * names only the association, so a session naming just this address is what
 * binds the call to it. Instances rarely have more than one or two.
 */
export const ADDRESSES_PER_SESSION = 1;

function chunkAddresses<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Every VPC address has one; only EC2-Classic addresses, retired since 2023, lacked it. */
function requireAllocationId(address: Address): string {
  if (!address.AllocationId) {
    throw new Error(`Elastic IP ${address.PublicIp} has no allocation id (an EC2-Classic address?); release it by hand`);
  }
  return address.AllocationId;
}
