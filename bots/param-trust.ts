/**
 * Where a bot's destination and key params may point. A param naming a bucket,
 * a log destination or a KMS key decides where the customer's data goes or who
 * can read it: it must be in the finding's own account, or on the allow-list the
 * operator wrote in cloudmend.yaml (`trust.allowedDestinations`,
 * `trust.allowedKmsKeys`). Pure: the caller supplies the scope and the lists.
 */
import type { BotMeta, SensitiveParamKind } from './types';

export interface TrustAllowList {
  /** ARNs of destinations in other accounts (an organization log archive bucket); an S3 entry also covers folders under it. */
  allowedDestinations: readonly string[];
  /** ARNs of KMS keys (or aliases) in other accounts. */
  allowedKmsKeys: readonly string[];
}

export interface ParamScope {
  partition: string;
  account: string;
  region: string;
}

/**
 * The param's value as an ARN: an ARN as it is; a bare KMS key id or alias as
 * the ARN KMS resolves it to (the caller's account and region); a bucket name
 * as its bucket ARN.
 */
export function paramArn(kind: SensitiveParamKind, value: string, scope: ParamScope): string {
  if (value.startsWith('arn:')) return value;
  if (kind === 'key') {
    const resource = value.startsWith('alias/') ? value : `key/${value}`;
    return `arn:${scope.partition}:kms:${scope.region}:${scope.account}:${resource}`;
  }
  return `arn:${scope.partition}:s3:::${value}`;
}

function onList(arn: string, list: readonly string[]): boolean {
  return list.some((entry) => arn === entry || arn.startsWith(entry.endsWith('/') ? entry : `${entry}/`));
}

/**
 * Undefined when every destination and key param of `params` may be used for a
 * finding in `scope`; otherwise why not, naming the param, its value and the
 * config key that would allow it.
 */
export function checkSensitiveParams(
  meta: Pick<BotMeta, 'name' | 'sensitiveParams'>,
  params: Record<string, unknown>,
  scope: ParamScope,
  allow: TrustAllowList,
): string | undefined {
  for (const [name, kind] of Object.entries(meta.sensitiveParams ?? {})) {
    const value = params[name];
    if (typeof value !== 'string' || value === '') continue;
    const arn = paramArn(kind, value, scope);
    const [, partition = '', , , account = ''] = arn.split(':');
    if (partition !== scope.partition) {
      return `${meta.name}: ${name} ${value} is in partition ${partition || '(none)'}, not ${scope.partition}, the finding's`;
    }
    // Principals and policies are pinned to the config and never overridable; an own-destination is checked by AWS itself.
    if (kind !== 'destination' && kind !== 'key') continue;
    const list = kind === 'key' ? allow.allowedKmsKeys : allow.allowedDestinations;
    if (onList(arn, list)) continue;
    if (account !== '' && account === scope.account) continue;
    const listName = kind === 'key' ? 'trust.allowedKmsKeys' : 'trust.allowedDestinations';
    const where = account
      ? `in account ${account}, not the finding's account ${scope.account}`
      : `an ARN that names no account, so it cannot be shown to be in the finding's account ${scope.account}`;
    return `${meta.name}: ${name} ${value} is ${where}, and it is not on ${listName} in cloudmend.yaml; add ${arn} there if cloudmend may use it for every account`;
  }
  return undefined;
}
