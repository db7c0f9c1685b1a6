/**
 * What the tagging and attribute bots share about EC2 resources: the finding's
 * id checked against its type, the resource's ARN (templates for permissions,
 * concrete ARNs for reports) and the tag helpers.
 */
import type { EC2Client, Tag } from '@aws-sdk/client-ec2';
import type { BotContext, Finding, Permission, SupportedResourceType, Undoer } from '../types';
import { sdk } from '../sdk';

/** EC2 resource types by the id prefix their ids carry and the ARN resource kind IAM knows them by. */
const KINDS = {
  'AWS::EC2::Instance': { prefix: 'i', arnKind: 'instance', owned: true },
  'AWS::EC2::SecurityGroup': { prefix: 'sg', arnKind: 'security-group', owned: true },
  'AWS::EC2::VPC': { prefix: 'vpc', arnKind: 'vpc', owned: true },
  'AWS::EC2::Subnet': { prefix: 'subnet', arnKind: 'subnet', owned: true },
  'AWS::EC2::Volume': { prefix: 'vol', arnKind: 'volume', owned: true },
  'AWS::EC2::InternetGateway': { prefix: 'igw', arnKind: 'internet-gateway', owned: true },
  'AWS::EC2::NetworkAcl': { prefix: 'acl', arnKind: 'network-acl', owned: true },
  // Images and snapshots have no account in their ARN.
  'AWS::EC2::Image': { prefix: 'ami', arnKind: 'image', owned: false },
  'AWS::EC2::Snapshot': { prefix: 'snap', arnKind: 'snapshot', owned: false },
} as const satisfies Partial<Record<SupportedResourceType, { prefix: string; arnKind: string; owned: boolean }>>;

export type TaggableEc2Type = keyof typeof KINDS;
export const TAGGABLE_EC2_TYPES = Object.keys(KINDS) as TaggableEc2Type[];

/** ARN templates naming the finding's resource, one per type (a wrong-type ARN names nothing that exists). */
export const TAGGABLE_EC2_ARNS: string[] = Object.values(KINDS).map(
  (kind) => `arn:{partition}:ec2:{region}:${kind.owned ? '{account}' : ''}:${kind.arnKind}/{resourceId}`,
);

const ID = /^[a-z]+-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The finding's resource id, checked to be an id of its type (`sg-...` for a security group). */
export function ec2IdOf(finding: Pick<Finding, 'resource'>, types: readonly string[] = TAGGABLE_EC2_TYPES): string {
  const { id, type } = finding.resource;
  const kind = (KINDS as Record<string, { prefix: string } | undefined>)[type];
  if (!kind || !types.includes(type)) throw new Error(`expected one of ${types.join(', ')} as the finding's resource, got ${type} "${id}"`);
  if (!ID.test(id) || !id.startsWith(`${kind.prefix}-`)) {
    throw new Error(`expected a ${type} id (${kind.prefix}-0123456789abcdef0) as the finding's resource, got "${id}"`);
  }
  return id;
}

/** The resource's ARN, for reports. */
export function ec2ArnOf(ctx: Pick<BotContext, 'partition' | 'region' | 'account'>, type: string, id: string): string {
  const kind = (KINDS as Record<string, { arnKind: string; owned: boolean } | undefined>)[type];
  if (!kind) return id;
  return `arn:${ctx.partition}:ec2:${ctx.region}:${kind.owned ? ctx.account : ''}:${kind.arnKind}/${id}`;
}

/** The id at the end of an ARN (or the id itself). */
export function idOfTarget(target: string): string {
  return target.slice(target.lastIndexOf('/') + 1);
}

/**
 * Undo of a bot that made an AMI or snapshot private: the resource's public
 * flag, read and set back through the bot's own accessors for its kind.
 */
export function publicFlagUndoer(
  isPublic: (ec2: EC2Client, id: string) => Promise<boolean>,
  setPublic: (ec2: EC2Client, id: string, makePublic: boolean) => Promise<void>,
): Undoer {
  return {
    async read(ctx) {
      const { EC2Client } = await sdk.ec2();
      return { public: await isPublic(ctx.client(EC2Client), idOfTarget(ctx.target)) };
    },
    async write(ctx, state) {
      const { EC2Client } = await sdk.ec2();
      await setPublic(ctx.client(EC2Client), idOfTarget(ctx.target), (state as { public: boolean }).public);
    },
  };
}

/** What tagsOf needs: the tag bots read the resource's tags before they write one. */
export const READ_EC2_TAGS: Permission = {
  actions: ['ec2:DescribeTags'],
  resources: ['*'],
  reason: 'read the resource’s tags (DescribeTags supports no resource-level permissions)',
};

/** The resource's tags now, by key. */
export async function tagsOf(ec2: EC2Client, resourceId: string): Promise<Record<string, string>> {
  const { paginateDescribeTags } = await sdk.ec2();
  const tags: Record<string, string> = {};
  for await (const page of paginateDescribeTags({ client: ec2 }, { Filters: [{ Name: 'resource-id', Values: [resourceId] }] })) {
    for (const tag of page.Tags ?? []) if (tag.Key !== undefined && tag.ResourceId === resourceId) tags[tag.Key] = tag.Value ?? '';
  }
  return tags;
}

export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Tag keys no bot may write: AWS reserves `aws:`, and `cloudmend:` keys (the exclusion tag among them) are cloudmend's own. */
export const RESERVED_TAG_KEY = /^(?:aws|cloudmend):/i;

/** EC2 tag keys hold at most 128 characters, values 256. */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
