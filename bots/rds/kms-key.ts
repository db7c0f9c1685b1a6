/**
 * The KMS key the RDS encryption bots let RDS use, named exactly per run.
 *
 * The key is a param: a key id, key ARN, alias name or alias ARN. Before any
 * write the bot resolves it with reads (ListAliases for an alias: it needs no
 * resource, and DescribeKey would need permission on the key it does not know
 * yet), reads the key itself through a session naming only that key, and then
 * hands RDS the key ARN through a session whose KMS permissions name only that
 * key (`{kmsKeyId}`). Another key of the account is denied by the session policy.
 *
 * The AWS managed key aws/rds: its key policy (`auto-rds-2`) already lets every
 * principal of the account use it through RDS (Principal "*", kms:CallerAccount,
 * kms:ViaService rds.<region>), so the member role needs nothing on it; but a
 * session policy may still bound what a resource policy grants, so the session
 * names it like any other key. KMS creates that key on its first use: until then
 * ListAliases lists alias/aws/rds without a TargetKeyId, and the bot, which lets
 * RDS use only a key it has named, refuses the run with what to do.
 */
import { z } from 'zod';
import type { KMSClient, KeyMetadata } from '@aws-sdk/client-kms';
import type { BotContext, ClientFactory, DerivedIds, Permission } from '../types';
import { sdk } from '../sdk';

/** The `kms_key` param of both RDS encryption bots: a reference KMS resolves, the AWS managed RDS key by default. */
export const KMS_KEY_PARAM = z
  .string()
  .regex(
    /^(arn:[\w-]+:kms:[\w-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+|alias\/[\w/+=,.@-]+|[0-9a-f-]{36})$/,
    'a KMS key id, key ARN, alias or alias ARN',
  )
  .default('alias/aws/rds');
export const KMS_KEY_PARAM_DESCRIPTION =
  "KMS key for the encrypted copy: a key or alias ARN, a key id or an alias (default alias/aws/rds, the account's AWS managed RDS key). " +
  "Must be a key of the finding's account and Region: the bot resolves it before the copy and lets RDS use only that key.";

/** The key RDS uses, once the bot has resolved it (a derived id). */
export const KMS_KEY_ARN = 'arn:{partition}:kms:{region}:{account}:key/{kmsKeyId}';
export const AWS_MANAGED_RDS_ALIAS = 'alias/aws/rds';

/** RDS asks KMS for a grant on the key, as the caller, when it encrypts a copy or restores from an encrypted snapshot. */
export const KMS_VIA_RDS = { StringLike: { 'kms:ViaService': 'rds.*.amazonaws.com' } };

export const RDS_KEY_PERMISSIONS: Permission[] = [
  {
    actions: ['kms:ListAliases'],
    resources: ['*'],
    reason:
      'resolve a kms_key alias to the id of its key before naming it (ListAliases supports no resource-level permissions; ' +
      'it lists alias names and target key ids only)',
  },
  {
    actions: ['kms:DescribeKey'],
    resources: [KMS_KEY_ARN],
    reason: 'read the resolved key (its account, Region, state and spec) before any write, and let RDS describe it; only the key named',
  },
  {
    actions: ['kms:CreateGrant'],
    resources: [KMS_KEY_ARN],
    conditions: KMS_VIA_RDS,
    reason: 'let RDS use the resolved key, and only through RDS: it creates a grant on it as the caller when it encrypts or restores',
  },
];

/** `arn:aws:kms:eu-west-1:111122223333:alias/x` -> partition, region, account, `alias/x`. */
const KMS_ARN = /^arn:([\w-]+):kms:([\w-]+):(\d{12}):((?:key|alias)\/.+)$/;

type Scope = Pick<BotContext, 'partition' | 'account' | 'region'>;

/** The param as KMS reads it in the finding's account and Region: an alias to look up, or a key id. */
export function keyReference(value: string, scope: Scope): { alias: string } | { keyId: string } {
  let resource = value;
  const arn = KMS_ARN.exec(value);
  if (value.startsWith('arn:')) {
    if (!arn) throw new Error(`kms_key ${value} is not a KMS key or alias ARN`);
    const [, partition, region, account, rest] = arn as unknown as [string, string, string, string, string];
    if (partition !== scope.partition || account !== scope.account || region !== scope.region) {
      throw new Error(
        `kms_key ${value} is in account ${account}, Region ${region}: RDS encrypts with a key of the Region it copies in, and ` +
          `cloudmend lets RDS use only keys of the finding's account (${scope.account}, ${scope.region}), each named per run`,
      );
    }
    resource = rest;
  }
  if (resource.startsWith('alias/')) return { alias: resource };
  return { keyId: resource.startsWith('key/') ? resource.slice('key/'.length) : resource };
}

/** The key an alias of the caller's account and Region points at; `null` for a predefined AWS alias not yet given a key. */
export async function aliasTarget(kms: KMSClient, alias: string): Promise<string | null | undefined> {
  const { ListAliasesCommand } = await sdk.kms();
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListAliasesCommand({ Limit: 100, ...(marker ? { Marker: marker } : {}) }));
    const found = (page.Aliases ?? []).find((a) => a.AliasName === alias);
    if (found) return found.TargetKeyId ?? null;
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

export interface RdsKey {
  id: string;
  arn: string;
}

export type KeyResolution = { key: RdsKey; clients: ClientFactory } | { notYet: string };

function keyProblem(metadata: KeyMetadata): string | undefined {
  if (metadata.KeyState !== 'Enabled') return `is ${metadata.KeyState ?? 'in an unknown state'}, not Enabled`;
  if (metadata.KeyUsage && metadata.KeyUsage !== 'ENCRYPT_DECRYPT') return `is for ${metadata.KeyUsage}, not ENCRYPT_DECRYPT`;
  const spec = metadata.KeySpec ?? metadata.CustomerMasterKeySpec;
  if (spec && spec !== 'SYMMETRIC_DEFAULT') return `is a ${spec} key: RDS encrypts only with symmetric encryption keys`;
  return undefined;
}

/**
 * Resolves `value` to one key of the finding's account and Region, reads it
 * through a session naming it (with `ids`, the other ids the write needs), and
 * returns that session's clients for the write. Throws when the key may not or
 * cannot be used; `notYet` when aws/rds has no key yet.
 */
export async function resolveRdsKey(
  ctx: Pick<BotContext, 'partition' | 'account' | 'region' | 'client' | 'narrowTo'>,
  value: string,
  ids: DerivedIds,
): Promise<KeyResolution> {
  const { KMSClient, DescribeKeyCommand } = await sdk.kms();
  const reference = keyReference(value, ctx);
  let keyId: string;
  if ('alias' in reference) {
    const { alias } = reference;
    if (alias.startsWith('alias/aws/') && alias !== AWS_MANAGED_RDS_ALIAS) {
      throw new Error(
        `kms_key ${value} is the AWS managed key of another service: its key policy lets only that service use it; use ${AWS_MANAGED_RDS_ALIAS} or a customer managed key`,
      );
    }
    const target = await aliasTarget(ctx.client(KMSClient), alias);
    if (target === undefined) throw new Error(`kms_key ${value}: no alias ${alias} in account ${ctx.account}, ${ctx.region}`);
    if (target === null) {
      return {
        notYet:
          `${alias} has no key yet in ${ctx.region}: KMS creates the AWS managed RDS key on its first use, and cloudmend lets RDS ` +
          'use only a key it has named; nothing started. Create it once (for example `aws kms describe-key --key-id alias/aws/rds ' +
          `--region ${ctx.region}\`, which makes KMS create it) or set kms_key to a customer managed key, then run again`,
      };
    }
    keyId = target;
  } else {
    keyId = reference.keyId;
  }
  const clients = await ctx.narrowTo({ ...ids, kmsKeyId: [keyId] });
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await clients(KMSClient).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFoundException') throw new Error(`kms_key ${value}: key ${keyId} not found in account ${ctx.account}, ${ctx.region}`);
    throw error;
  }
  const arn = metadata?.Arn ?? '';
  const [, partition, region, account, resource] = KMS_ARN.exec(arn) ?? [];
  // What KMS answered, not what was asked: the key must still be the finding account's, in its Region.
  if (!metadata || metadata.KeyId !== keyId || resource !== `key/${keyId}`) {
    throw new Error(`kms_key ${value}: DescribeKey of ${keyId} answered for another key (${arn || 'no ARN'})`);
  }
  if (partition !== ctx.partition || account !== ctx.account || region !== ctx.region) {
    throw new Error(
      `kms_key ${value} resolves to ${arn}, in account ${account}, Region ${region}: cloudmend lets RDS use only keys of the ` +
        `finding's account (${ctx.account}, ${ctx.region})`,
    );
  }
  const problem = keyProblem(metadata);
  if (problem) throw new Error(`kms_key ${value} (${arn}) ${problem}; RDS cannot encrypt with it`);
  return { key: { id: keyId, arn }, clients };
}

/** The key id of a key ARN RDS reports (a snapshot's KmsKeyId), when it is a key of the finding's account and Region. */
export function keyIdOfArn(arn: string | undefined, scope: Scope): string | undefined {
  const [, partition, region, account, resource] = KMS_ARN.exec(arn ?? '') ?? [];
  if (!resource?.startsWith('key/') || partition !== scope.partition || account !== scope.account || region !== scope.region) {
    return undefined;
  }
  return resource.slice('key/'.length);
}
