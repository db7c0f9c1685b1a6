import type { IAMClient } from '@aws-sdk/client-iam';
import { isNoSuchEntity } from './user';
import { sdk } from '../sdk';

export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/**
 * The user's inline policy of that name, parsed, or undefined when the user has
 * none. Lists first so a missing user fails loudly (NoSuchEntity from
 * ListUserPolicies) instead of looking like a missing policy.
 */
export async function readUserInlinePolicy(iam: IAMClient, userName: string, policyName: string): Promise<unknown> {
  const { ListUserPoliciesCommand, GetUserPolicyCommand } = await sdk.iam();
  let marker: string | undefined;
  let found = false;
  do {
    const page = await iam.send(new ListUserPoliciesCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }));
    found = (page.PolicyNames ?? []).includes(policyName);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (!found && marker);
  if (!found) return undefined;
  try {
    const { PolicyDocument } = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
    return parsePolicyDocument(PolicyDocument ?? '');
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined; // deleted between the list and the read
    throw error;
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986); tolerate plain JSON too. */
export function parsePolicyDocument(raw: string): unknown {
  const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw);
  return JSON.parse(text);
}

/** Same policy, whatever the key order or whitespace IAM kept. */
export function samePolicy(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
