/**
 * The execution role of a Lambda function and the policies on it that grant every action on every resource, read
 * through sessions naming that role and those policies only.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { parsePolicyDocument } from '../iam/inline-policy';
import type { BotContext, ClientFactory } from '../types';
import { sdk } from '../sdk';

/** The function's role, named once read from the function; roles have paths, names are unique. */
export const ROLE_ARNS = ['arn:{partition}:iam::{account}:role/{roleName}', 'arn:{partition}:iam::{account}:role/*/{roleName}'];
/** The managed policies attached to it, customer or AWS managed, named once listed. */
export const POLICY_ARNS = [
  'arn:{partition}:iam::{account}:policy/{policyName}',
  'arn:{partition}:iam::{account}:policy/*/{policyName}',
  'arn:{partition}:iam::aws:policy/{policyName}',
  'arn:{partition}:iam::aws:policy/*/{policyName}',
];
/** Policies named in one session: four ARNs each, within AssumeRole's 2,048 characters of session policy. */
export const POLICIES_PER_SESSION = 4;

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:[^:]*\/)?([\w+=,.@-]{1,64})$/;

export function roleOfArn(arn: string): { account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { account: match[2] as string, name: match[3] as string } : undefined;
}

type Statement = { Effect?: unknown; Action?: unknown; Resource?: unknown };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Allows every action (`*` or `*:*`) on every resource (`*`), whatever its conditions: what CloudBots calls blanket. */
export function isBlanketStatement(statement: Statement): boolean {
  return (
    statement.Effect === 'Allow' && list(statement.Action).some((a) => a === '*' || a === '*:*') && list(statement.Resource).includes('*')
  );
}

export function grantsBlanket(document: unknown): boolean {
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  return list(statements ?? []).some((s) => !!s && typeof s === 'object' && isBlanketStatement(s as Statement));
}

export async function attachedPolicyArns(iam: IAMClient, roleName: string): Promise<string[]> {
  const { ListAttachedRolePoliciesCommand } = await sdk.iam();
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }));
    for (const policy of page.AttachedPolicies ?? []) if (policy.PolicyArn) arns.push(policy.PolicyArn);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns.sort();
}

export interface InlinePolicy {
  PolicyName: string;
  Document: unknown;
}

/** The role's inline policies with their documents, by name. */
export async function inlinePolicies(iam: IAMClient, roleName: string): Promise<InlinePolicy[]> {
  const { ListRolePoliciesCommand, GetRolePolicyCommand } = await sdk.iam();
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }));
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const policies: InlinePolicy[] = [];
  for (const PolicyName of names.sort()) {
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }));
    policies.push({ PolicyName, Document: parsePolicyDocument(PolicyDocument ?? '{}') });
  }
  return policies;
}

/** The managed policy's name, the last part of its ARN (after any path). */
export function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The default version's document of each managed policy, read in sessions naming a few policies each. */
export async function managedPolicyDocuments(
  ctx: Pick<BotContext, 'narrowTo'>,
  roleName: string,
  arns: readonly string[],
): Promise<Map<string, unknown>> {
  const { IAMClient, GetPolicyCommand, GetPolicyVersionCommand } = await sdk.iam();
  const documents = new Map<string, unknown>();
  for (let i = 0; i < arns.length; i += POLICIES_PER_SESSION) {
    const batch = arns.slice(i, i + POLICIES_PER_SESSION);
    const factory: ClientFactory = await ctx.narrowTo({ roleName: [roleName], policyName: [...new Set(batch.map(policyNameOf))] });
    const iam = factory(IAMClient);
    for (const PolicyArn of batch) {
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
      const VersionId = Policy?.DefaultVersionId;
      if (!VersionId) throw new Error(`managed policy ${PolicyArn} has no default version`);
      const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }));
      documents.set(PolicyArn, parsePolicyDocument(PolicyVersion?.Document ?? '{}'));
    }
  }
  return documents;
}
