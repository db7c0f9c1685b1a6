/**
 * What the network bots (acl_delete, acl_revert_modification, igw_delete,
 * vpc_isolate) share: the finding's id checked against its EC2 form before any
 * call, ARNs, reading network ACLs, and a network ACL entry as a person reads it.
 */
import type { EC2Client, NetworkAcl, NetworkAclEntry } from '@aws-sdk/client-ec2';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

const ID_FORMS = {
  'network-acl': /^acl-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  vpc: /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  'internet-gateway': /^igw-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
} as const;

export type NetworkKind = keyof typeof ID_FORMS | 'subnet' | 'instance';

/** The finding's resource id when it has the form of `kind`, else a clear error naming what arrived. */
export function requireId(ctx: Pick<BotContext, 'finding'>, kind: keyof typeof ID_FORMS, botName: string): string {
  const { id, type } = ctx.finding.resource;
  if (!ID_FORMS[kind].test(id)) {
    const example = { 'network-acl': 'acl-0123456789abcdef0', vpc: 'vpc-0123456789abcdef0', 'internet-gateway': 'igw-0123456789abcdef0' }[
      kind
    ];
    throw new Error(`${botName}: the finding's resource ${type} "${id}" is not a ${kind} id (expected ${example})`);
  }
  return id;
}

export function idKind(id: string): keyof typeof ID_FORMS | undefined {
  return (Object.keys(ID_FORMS) as (keyof typeof ID_FORMS)[]).find((kind) => ID_FORMS[kind].test(id));
}

export function ec2Arn(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, kind: NetworkKind, id: string): string {
  return `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:${kind}/${id}`;
}

export const ARN = {
  networkAcl: (placeholder: string) => `arn:{partition}:ec2:{region}:{account}:network-acl/{${placeholder}}`,
  subnet: 'arn:{partition}:ec2:{region}:{account}:subnet/{subnetId}',
  vpc: (placeholder: string) => `arn:{partition}:ec2:{region}:{account}:vpc/{${placeholder}}`,
  internetGateway: (placeholder: string) => `arn:{partition}:ec2:{region}:{account}:internet-gateway/{${placeholder}}`,
  instance: 'arn:{partition}:ec2:{region}:{account}:instance/{instanceId}',
};

function isNotFound(error: unknown): boolean {
  return /\.NotFound$/.test((error as { name?: string } | null)?.name ?? '');
}

/** The ACL, or undefined when it does not exist (any more). */
export async function describeAcl(ec2: EC2Client, aclId: string): Promise<NetworkAcl | undefined> {
  const { DescribeNetworkAclsCommand } = await sdk.ec2();
  try {
    const { NetworkAcls = [] } = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] }));
    return NetworkAcls.find((acl) => acl.NetworkAclId === aclId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every network ACL of the VPC. */
export async function aclsOfVpc(ec2: EC2Client, vpcId: string): Promise<NetworkAcl[]> {
  const { paginateDescribeNetworkAcls } = await sdk.ec2();
  const acls: NetworkAcl[] = [];
  for await (const page of paginateDescribeNetworkAcls({ client: ec2 }, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })) {
    acls.push(...(page.NetworkAcls ?? []).filter((acl) => acl.VpcId === vpcId));
  }
  return acls;
}

/** `#100 inbound allow tcp 22-22 from 0.0.0.0/0`: enough to recreate it by hand. */
export function describeEntry(entry: NetworkAclEntry): string {
  const protocol =
    entry.Protocol === '-1' ? 'all' : entry.Protocol === '6' ? 'tcp' : entry.Protocol === '17' ? 'udp' : `protocol ${entry.Protocol}`;
  const ports = entry.PortRange ? ` ${entry.PortRange.From}-${entry.PortRange.To}` : '';
  const icmp = entry.IcmpTypeCode ? ` icmp type ${entry.IcmpTypeCode.Type} code ${entry.IcmpTypeCode.Code}` : '';
  const peer = entry.CidrBlock ?? entry.Ipv6CidrBlock ?? 'unknown';
  return `#${entry.RuleNumber} ${entry.Egress ? 'outbound' : 'inbound'} ${entry.RuleAction} ${protocol}${ports}${icmp} ${entry.Egress ? 'to' : 'from'} ${peer}`;
}

/** The entries someone wrote: not the catch-all deny (rule 32767) every ACL has. */
export function customEntries(acl: NetworkAcl): NetworkAclEntry[] {
  return (acl.Entries ?? []).filter((entry) => entry.RuleNumber !== 32767);
}
