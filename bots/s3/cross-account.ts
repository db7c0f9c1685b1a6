import { asList, type BucketPolicy, type PolicyStatement, statementsOf } from './bucket-policy';

/** The account an AWS principal names: a bare account id, or the account field of an IAM or STS ARN. */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

export interface CrossAccountCleanup {
  /** The policy with the foreign principals gone; undefined when no statement is left. */
  policy: BucketPolicy | undefined;
  /** What was removed, for the report: `Sid (or #n): principal, ...`. */
  removed: string[];
}

/**
 * Drops the AWS principals of other accounts from the policy's Allow
 * statements. Every other statement and field stays as it was, in its order:
 * Deny statements (they only take access away), service and federated
 * principals, `*` (public access is the public access bots' matter), the
 * bucket's own account and the accounts in `allowed`. A statement left with no
 * principal is dropped; so is the policy when no statement is left.
 * Returns undefined when nothing is to remove.
 */
export function withoutCrossAccountPrincipals(
  policy: BucketPolicy,
  ownAccount: string,
  allowed: ReadonlySet<string>,
): CrossAccountCleanup | undefined {
  const foreign = (principal: unknown) => {
    if (typeof principal !== 'string') return false;
    const account = principalAccount(principal);
    return account !== undefined && account !== ownAccount && !allowed.has(account);
  };
  const removed: string[] = [];
  const kept: PolicyStatement[] = [];
  statementsOf(policy).forEach((statement, index) => {
    const principal = statement.Principal as { AWS?: unknown } | string | undefined;
    if (statement.Effect !== 'Allow' || typeof principal !== 'object' || principal === null || !('AWS' in principal)) {
      kept.push(statement);
      return;
    }
    const aws = asList(principal.AWS);
    const gone = aws.filter(foreign);
    if (gone.length === 0) {
      kept.push(statement);
      return;
    }
    removed.push(`${statement.Sid ?? `statement #${index + 1}`}: ${gone.join(', ')}`);
    const left = aws.filter((p) => !foreign(p));
    const { AWS: _dropped, ...otherPrincipals } = principal;
    if (left.length === 0 && Object.keys(otherPrincipals).length === 0) return;
    const remaining = left.length === 0 ? otherPrincipals : { ...otherPrincipals, AWS: left.length === 1 ? left[0] : left };
    kept.push({ ...statement, Principal: remaining });
  });
  if (removed.length === 0) return undefined;
  return { policy: kept.length > 0 ? { ...policy, Statement: kept } : undefined, removed };
}
