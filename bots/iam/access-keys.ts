import type { AccessKeyMetadata, IAMClient } from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { BotContext } from '../types';
import { sdk } from '../sdk';

/** Access key ids: upper-case letters and digits (`AKIA...` for users). */
export const ACCESS_KEY_ID = z
  .string()
  .regex(/^[A-Z0-9]{16,128}$/, 'an access key id is 16-128 upper-case letters and digits, e.g. AKIAIOSFODNN7EXAMPLE');

/** Every access key of the user, across pages. */
export async function listAccessKeys(iam: IAMClient, userName: string): Promise<AccessKeyMetadata[]> {
  const { ListAccessKeysCommand } = await sdk.iam();
  const keys: AccessKeyMetadata[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }));
    keys.push(...(page.AccessKeyMetadata ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return keys;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The access key a bot acts on: the `access_key_id` param, else the key the
 * finding names (GuardDuty `accessKeyDetails.accessKeyId`, a Security Hub
 * `AwsIamAccessKey` resource). Throws, naming the param, when neither says.
 */
export function accessKeyIdOf(ctx: Pick<BotContext, 'finding'>, param: string | undefined, bot: string): string {
  if (param) return param;
  const raw = (ctx.finding.resource.raw ?? {}) as Record<string, unknown>;
  const details = (raw.Details as { AwsIamAccessKey?: Record<string, unknown> } | undefined)?.AwsIamAccessKey ?? {};
  const fromFinding = text(raw.accessKeyId) ?? text(details.AccessKeyId) ?? text(raw.AccessKeyId);
  if (fromFinding && ACCESS_KEY_ID.safeParse(fromFinding).success) return fromFinding;
  throw new Error(`${bot}: the finding names no access key; pass access_key_id=<key id> (AUTO: ${bot} access_key_id=AKIA...)`);
}
