import { z } from 'zod';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ChangeSet, skipped } from '../changes';
import { defineBot } from '../types';
import { idOfTarget } from './ec2-resource';
import { sdk } from '../sdk';

const TRANSIT_GATEWAY_ARN = 'arn:{partition}:ec2:{region}:{account}:transit-gateway/{resourceId}';
const KIND = 'auto-accept-shared-attachments';

type Setting = 'enable' | 'disable';

/** The gateway's setting, or undefined when it does not exist (or is being deleted). */
async function autoAccept(ec2: EC2Client, id: string): Promise<Setting | undefined> {
  const { DescribeTransitGatewaysCommand } = await sdk.ec2();
  const { TransitGateways = [] } = await ec2
    .send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] }))
    .catch((error: unknown) => {
      if ((error as { name?: string }).name === 'InvalidTransitGatewayID.NotFound') return { TransitGateways: [] };
      throw error;
    });
  const gateway = TransitGateways.find((g) => g.TransitGatewayId === id && g.State !== 'deleted' && g.State !== 'deleting');
  if (!gateway) return undefined;
  return gateway.Options?.AutoAcceptSharedAttachments === 'enable' ? 'enable' : 'disable';
}

async function setAutoAccept(ec2: EC2Client, id: string, value: Setting): Promise<void> {
  const { ModifyTransitGatewayCommand } = await sdk.ec2();
  await ec2.send(new ModifyTransitGatewayCommand({ TransitGatewayId: id, Options: { AutoAcceptSharedAttachments: value } }));
}

export default defineBot({
  meta: {
    name: 'ec2_disable_transit_gateway_auto_accept',
    summary: 'Stop the transit gateway from accepting attachment requests from other accounts automatically',
    description:
      'Sets the transit gateway option AutoAcceptSharedAttachments to disable (AWS Automated Security Response does the same ' +
      'for EC2.23), so a VPC attachment requested from another account waits for someone in this one to accept it. ' +
      'Attachments already accepted stay as they are; routing and every other option are left alone. Undo turns ' +
      'auto-acceptance back on.',
    resourceTypes: ['AWS::EC2::TransitGateway'],
    remediates: { securityHub: ['EC2.23'], config: ['ec2-transit-gateway-auto-vpc-attach-disabled'] },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['ec2:DescribeTransitGateways'],
        resources: ['*'],
        reason: "read the transit gateway's options (DescribeTransitGateways supports no resource-level permissions)",
      },
      {
        actions: ['ec2:ModifyTransitGateway'],
        resources: [TRANSIT_GATEWAY_ARN],
        reason: "turn off automatic acceptance of shared attachments on the finding's transit gateway, and no other",
      },
    ],
    undo: {
      [KIND]: {
        reversible: true,
        how: 'turns automatic acceptance of shared attachments back on (attachments accepted by hand meanwhile stay)',
        permissions: [
          {
            actions: ['ec2:DescribeTransitGateways'],
            resources: ['*'],
            reason: "undo: read the transit gateway's options (no resource-level permissions)",
          },
          {
            actions: ['ec2:ModifyTransitGateway'],
            resources: [TRANSIT_GATEWAY_ARN],
            reason: 'undo: turn automatic acceptance back on',
          },
        ],
      },
    },
  },
  undoers: {
    [KIND]: {
      async read(ctx) {
        const { EC2Client } = await sdk.ec2();
        const id = idOfTarget(ctx.target);
        const value = await autoAccept(ctx.client(EC2Client), id);
        if (value === undefined) throw new Error(`transit gateway ${id} no longer exists`);
        return { AutoAcceptSharedAttachments: value };
      },
      async write(ctx, state) {
        const { EC2Client } = await sdk.ec2();
        await setAutoAccept(
          ctx.client(EC2Client),
          idOfTarget(ctx.target),
          (state as { AutoAcceptSharedAttachments: Setting }).AutoAcceptSharedAttachments,
        );
      },
    },
  },
  async run(ctx) {
    const { EC2Client } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const id = ctx.finding.resource.id;
    const current = await autoAccept(ec2, id);
    if (current === undefined) return skipped(`transit gateway ${id} does not exist in ${ctx.region}; nothing to change`);
    const changes = new ChangeSet(ctx);
    if (current === 'enable') {
      await changes.apply(
        {
          action: 'ec2:ModifyTransitGateway',
          target: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:transit-gateway/${id}`,
          description: 'AutoAcceptSharedAttachments enable -> disable',
          undo: { kind: KIND, before: { AutoAcceptSharedAttachments: 'enable' }, after: { AutoAcceptSharedAttachments: 'disable' } },
        },
        () => setAutoAccept(ec2, id, 'disable'),
      );
    }
    return changes.result(
      `${id} no longer accepts shared attachments automatically`,
      `${id} already leaves shared attachments for someone to accept`,
    );
  },
});
