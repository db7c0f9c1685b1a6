import { z } from 'zod';
import type { EC2Client, NetworkAcl } from '@aws-sdk/client-ec2';
import { ChangeSet, createOrAdopt, settlingConflict } from '../changes';
import { batchedWriters } from '../narrow';
import { defineBot, type Undoer } from '../types';
import { ARN, aclsOfVpc, customEntries, describeEntry, ec2Arn, requireId } from './network';
import { sdk } from '../sdk';

const NAME = 'vpc_isolate';
export const ISOLATION_ACL_TAG = 'cloudmend:created-by';
const ASSOCIATION = 'network-acl-association';
const DNS = 'vpc-dns';
const ISOLATION_ACL = 'isolation-acl';
/** Subnets named in one narrowed session, with the ACLs: well within AssumeRole's 2,048 characters. */
export const SUBNETS_PER_SESSION = 8;
/** A network ACL created now: its id cannot be known before. */
const NEW_ACL_ARN = 'arn:{partition}:ec2:{region}:{account}:network-acl/*';

function isOurs(acl: NetworkAcl): boolean {
  return acl.Tags?.some((t) => t.Key === ISOLATION_ACL_TAG && t.Value === NAME) ?? false;
}

interface DnsState {
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
}

async function readDns(ec2: EC2Client, vpcId: string): Promise<DnsState> {
  const { DescribeVpcAttributeCommand } = await sdk.ec2();
  const support = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }));
  const hostnames = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
  return { enableDnsSupport: support.EnableDnsSupport?.Value ?? false, enableDnsHostnames: hostnames.EnableDnsHostnames?.Value ?? false };
}

/** Hostnames need DNS support: turned off before it, and on after it. */
async function writeDns(ec2: EC2Client, vpcId: string, state: DnsState): Promise<void> {
  const { ModifyVpcAttributeCommand } = await sdk.ec2();
  const hostnames = () =>
    ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: state.enableDnsHostnames } }));
  const support = () => ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: state.enableDnsSupport } }));
  if (state.enableDnsSupport) {
    await support();
    await hostnames();
  } else {
    await hostnames();
    await support();
  }
}

const idOf = (target: string) => target.slice(target.lastIndexOf('/') + 1);

/** The network ACL a subnet is associated with now. */
async function aclOfSubnet(ec2: EC2Client, subnetId: string): Promise<{ acl?: string | undefined; association?: string | undefined }> {
  const { DescribeNetworkAclsCommand } = await sdk.ec2();
  const { NetworkAcls = [] } = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  for (const acl of NetworkAcls) {
    const association = acl.Associations?.find((a) => a.SubnetId === subnetId);
    if (association) return { acl: acl.NetworkAclId, association: association.NetworkAclAssociationId };
  }
  return {};
}

const undoers: Record<string, Undoer> = {
  [ASSOCIATION]: {
    async read(ctx) {
      const { EC2Client } = await sdk.ec2();
      return { networkAclId: (await aclOfSubnet(ctx.client(EC2Client), idOf(ctx.target))).acl ?? null };
    },
    async write(ctx, state) {
      const { EC2Client, ReplaceNetworkAclAssociationCommand } = await sdk.ec2();
      const ec2 = ctx.client(EC2Client);
      const { association } = await aclOfSubnet(ec2, idOf(ctx.target));
      const { networkAclId } = state as { networkAclId: string };
      await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association, NetworkAclId: networkAclId }));
    },
  },
  [DNS]: {
    async read(ctx) {
      const { EC2Client } = await sdk.ec2();
      return readDns(ctx.client(EC2Client), idOf(ctx.target));
    },
    async write(ctx, state) {
      const { EC2Client } = await sdk.ec2();
      await writeDns(ctx.client(EC2Client), idOf(ctx.target), state as DnsState);
    },
  },
};

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Isolate the VPC: a deny-all network ACL on every subnet, DNS support and hostnames off',
    description:
      `Creates, once per VPC, a network ACL tagged ${ISOLATION_ACL_TAG}=${NAME} with no entries but the default deny ` +
      '(no traffic in or out of any subnet), associates it with every subnet of the VPC, and turns off the VPC’s DNS ' +
      'support and DNS hostnames. Each subnet’s previous ACL is recorded in the change, and `cloudmend undo` moves every ' +
      'subnet back to it and turns DNS back to what it was; the isolation ACL stays, unused. Security groups, route ' +
      'tables, gateways and instances are not changed; connections already established stop at the next packet. ' +
      'Refuses when the tagged ACL has entries allowing traffic (someone edited it). A VPC whose subnets all use the ' +
      'isolation ACL and whose DNS is off is already compliant.',
    resourceTypes: ['AWS::EC2::VPC'],
    params: z.strictObject({}),
    destructive: true,
    permissions: [
      {
        actions: ['ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets'],
        resources: ['*'],
        reason: 'read the subnets of the VPC and their network ACLs (no resource-level permissions)',
      },
      {
        actions: ['ec2:CreateNetworkAcl'],
        resources: [ARN.vpc('resourceId')],
        reason: 'create the isolation ACL in the VPC',
      },
      {
        actions: ['ec2:CreateNetworkAcl'],
        resources: [NEW_ACL_ARN],
        conditions: { StringEquals: { [`aws:RequestTag/${ISOLATION_ACL_TAG}`]: NAME } },
        reason: 'create the isolation ACL, only with its cloudmend tag',
      },
      {
        actions: ['ec2:CreateTags'],
        resources: [NEW_ACL_ARN],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl' } },
        reason: 'tag the isolation ACL as it is created (only as part of CreateNetworkAcl)',
      },
      {
        actions: ['ec2:ReplaceNetworkAclAssociation'],
        resources: [ARN.networkAcl('networkAclId'), ARN.subnet],
        reason: 'associate the isolation ACL with each subnet of the VPC (only the subnets and ACLs read)',
      },
      {
        actions: ['ec2:DescribeVpcAttribute', 'ec2:ModifyVpcAttribute'],
        resources: [ARN.vpc('resourceId')],
        reason: 'read and turn off DNS support and DNS hostnames of the VPC',
      },
    ],
    undo: {
      [ASSOCIATION]: {
        reversible: true,
        how: 'associates the subnet with the network ACL it had before the isolation',
        recordsIds: ['subnetId', 'networkAclId'],
        permissions: [
          { actions: ['ec2:DescribeNetworkAcls'], resources: ['*'], reason: 'undo: read the subnet’s ACL (no resource-level permissions)' },
          {
            actions: ['ec2:ReplaceNetworkAclAssociation'],
            resources: [ARN.networkAcl('networkAclId'), ARN.subnet],
            reason: 'undo: move the subnet back to its previous network ACL',
          },
        ],
      },
      [ISOLATION_ACL]: {
        reversible: false,
        why:
          'the deny-all network ACL created for the isolation is kept (undo moves every subnet back off it): it allows nothing, ' +
          'and a later isolation of the VPC reuses it; delete it by hand when unwanted',
      },
      [DNS]: {
        reversible: true,
        how: 'sets DNS support and DNS hostnames of the VPC back to what they were',
        permissions: [
          {
            actions: ['ec2:DescribeVpcAttribute', 'ec2:ModifyVpcAttribute'],
            resources: [ARN.vpc('resourceId')],
            reason: 'undo: read and restore the DNS attributes of the VPC',
          },
        ],
      },
    },
  },
  undoers,
  async run(ctx) {
    const vpcId = requireId(ctx, 'vpc', NAME);
    const { EC2Client, CreateNetworkAclCommand, DescribeSubnetsCommand, ReplaceNetworkAclAssociationCommand } = await sdk.ec2();
    const ec2 = ctx.client(EC2Client);
    const acls = await aclsOfVpc(ec2, vpcId);
    const existing = acls.find(isOurs);
    const allowing = existing ? customEntries(existing).filter((e) => e.RuleAction === 'allow') : [];
    if (existing && allowing.length > 0) {
      throw new Error(
        `isolation ACL ${existing.NetworkAclId} of ${vpcId} has entries allowing traffic (${allowing.map(describeEntry).join('; ')}); ` +
          'not isolating with an ACL someone edited: remove those entries or the ACL',
      );
    }
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    const subnetIds = Subnets.flatMap((s) => (s.SubnetId && s.VpcId === vpcId ? [s.SubnetId] : []));
    const current = new Map<string, { acl: string; association: string }>();
    for (const acl of acls) {
      for (const a of acl.Associations ?? []) {
        if (a.SubnetId && acl.NetworkAclId && a.NetworkAclAssociationId)
          current.set(a.SubnetId, { acl: acl.NetworkAclId, association: a.NetworkAclAssociationId });
      }
    }
    const dns = await readDns(ec2, vpcId);
    const changes = new ChangeSet(ctx);

    let isolationId = existing?.NetworkAclId;
    const toMove = subnetIds.filter((id) => current.get(id)?.acl !== isolationId || !isolationId);
    if (!isolationId && toMove.length > 0) {
      const outcome = await createOrAdopt(
        changes,
        {
          action: 'ec2:CreateNetworkAcl',
          target: ec2Arn(ctx, 'vpc', vpcId),
          description: `created deny-all network ACL in ${vpcId}`,
          undo: { kind: ISOLATION_ACL, before: null, after: null },
        },
        () =>
          ec2.send(
            new CreateNetworkAclCommand({
              VpcId: vpcId,
              TagSpecifications: [{ ResourceType: 'network-acl', Tags: [{ Key: ISOLATION_ACL_TAG, Value: NAME }] }],
            }),
          ),
        () => false,
      );
      isolationId = ctx.dryRun ? `(new isolation ACL in ${vpcId})` : outcome.created ? outcome.output?.NetworkAcl?.NetworkAclId : undefined;
      if (!isolationId) throw settlingConflict(`the isolation ACL of ${vpcId}`);
    }

    if (toMove.length > 0 && isolationId) {
      const target = isolationId;
      const previous = [...new Set(toMove.flatMap((id) => current.get(id)?.acl ?? []))];
      const writerFor = batchedWriters(ctx, EC2Client, ec2, 'subnetId', toMove, SUBNETS_PER_SESSION, {
        networkAclId: [target, ...previous].filter((id) => id.startsWith('acl-')),
      });
      for (const subnetId of toMove) {
        const was = current.get(subnetId);
        if (!was) throw new Error(`subnet ${subnetId} of ${vpcId} has no network ACL association to replace`);
        await changes.apply(
          {
            action: 'ec2:ReplaceNetworkAclAssociation',
            target: ec2Arn(ctx, 'subnet', subnetId),
            description: `subnet ${subnetId}: network ACL ${was.acl} -> ${target} (deny all)`,
            undo: {
              kind: ASSOCIATION,
              before: { networkAclId: was.acl },
              after: { networkAclId: target },
              // The undo session names the subnet and both ACLs, as the bot's narrowed session did.
              ids: { subnetId: [subnetId], networkAclId: [was.acl, target].filter((id) => id.startsWith('acl-')) },
            },
          },
          async () =>
            (await writerFor(subnetId)).send(
              new ReplaceNetworkAclAssociationCommand({ AssociationId: was.association, NetworkAclId: target }),
            ),
        );
      }
    }

    if (dns.enableDnsSupport || dns.enableDnsHostnames) {
      const off = { enableDnsSupport: false, enableDnsHostnames: false };
      await changes.apply(
        {
          action: 'ec2:ModifyVpcAttribute',
          target: ec2Arn(ctx, 'vpc', vpcId),
          description: `DNS support ${dns.enableDnsSupport ? 'on' : 'off'} -> off, DNS hostnames ${dns.enableDnsHostnames ? 'on' : 'off'} -> off`,
          undo: { kind: DNS, before: dns, after: off },
        },
        () => writeDns(ec2, vpcId, off),
      );
    }
    return changes.result(
      `isolated ${vpcId}: ${toMove.length} subnet(s) moved to deny-all network ACL ${isolationId ?? ''}, DNS off`,
      `${vpcId} is already isolated: every subnet uses ${isolationId ?? 'the isolation ACL'} and DNS is off`,
    );
  },
});
