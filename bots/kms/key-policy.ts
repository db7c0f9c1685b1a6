/** Key policy statements that let anyone in: Principal `*` on an Allow, with no condition tying the caller to an account or organization. */

type Statement = Record<string, unknown> & { Effect?: unknown; Principal?: unknown; Condition?: unknown; Sid?: unknown };

/** Condition keys that limit who the caller can be (lower-cased: IAM condition keys are case-insensitive). */
const CALLER_LIMITS = new Set([
  'kms:calleraccount',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'kms:viaservice',
]);

function everyone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: unknown } | null | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

function limitsCaller(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  return Object.entries(condition as Record<string, unknown>).some(
    ([operator, block]) =>
      // A Null or IfExists test does not limit anyone: a caller without the key passes it.
      !/^Null$|IfExists$/.test(operator) &&
      !!block &&
      typeof block === 'object' &&
      Object.keys(block as Record<string, unknown>).some((key) => CALLER_LIMITS.has(key.toLowerCase())),
  );
}

export function isPublicStatement(statement: Statement): boolean {
  return statement.Effect === 'Allow' && everyone(statement.Principal) && !limitsCaller(statement.Condition);
}

export function statementsOf(policy: { Statement?: unknown }): Statement[] {
  const statement = policy.Statement;
  if (statement === undefined) return [];
  return (Array.isArray(statement) ? statement : [statement]) as Statement[];
}
