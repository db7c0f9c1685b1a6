import { actionMatches, asList, conditionEntries, coversResources, isEveryone, type PolicyStatement } from './bucket-policy';

export const DENY_INSECURE_TRANSPORT_SID = 'CloudmendDenyInsecureTransport';

/** The statement s3_only_allow_ssl adds: nobody may use the bucket or its objects over plain HTTP. */
export function denyInsecureTransport(arn: string): PolicyStatement {
  return {
    Sid: DENY_INSECURE_TRANSPORT_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * True when `statement` denies at least what ours does: every S3 action, to
 * everyone, on the bucket and all its objects, whenever the request is not
 * over TLS, and nothing narrows it (no Not* element, no other condition).
 * `BoolIfExists` is the same test, since every request carries the key.
 */
export function deniesInsecureTransport(statement: PolicyStatement, arn: string): boolean {
  if (statement.Effect !== 'Deny') return false;
  if (statement.NotPrincipal !== undefined || statement.NotAction !== undefined || statement.NotResource !== undefined) return false;
  if (!isEveryone(statement.Principal)) return false;
  if (!asList(statement.Action).some((a) => typeof a === 'string' && actionMatches(a, 's3:*'))) return false;
  if (!coversResources(statement, [arn, `${arn}/*`])) return false;
  const conditions = conditionEntries(statement);
  const [only] = conditions;
  return (
    conditions.length === 1 &&
    only !== undefined &&
    (only.operator === 'Bool' || only.operator === 'BoolIfExists') &&
    only.key === 'aws:securetransport' &&
    only.values.length === 1 &&
    only.values[0]?.toLowerCase() === 'false'
  );
}
