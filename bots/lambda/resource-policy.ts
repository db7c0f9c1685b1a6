/**
 * A Lambda function's resource-based policy: which statements let anyone invoke it, and how a removed statement is
 * put back (Lambda has no API to write a policy, only AddPermission, which builds a statement from a few fields).
 */
import type { AddPermissionCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import { sdk } from '../sdk';

export type Statement = Record<string, unknown> & { Sid?: unknown; Effect?: unknown; Principal?: unknown; Condition?: unknown };

/** Condition keys that limit who may call (lower-cased: condition keys are case-insensitive). */
const CALLER_LIMITS = new Set([
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
]);

function conditionKeys(condition: unknown, test: (operator: string, key: string) => boolean): boolean {
  if (!condition || typeof condition !== 'object') return false;
  return Object.entries(condition as Record<string, unknown>).some(
    ([operator, block]) =>
      !!block && typeof block === 'object' && Object.keys(block as object).some((key) => test(operator, key.toLowerCase())),
  );
}

/** A Null or IfExists test does not limit anyone: a caller without the key passes it. */
const limiting = (operator: string) => !/^Null$|IfExists$/.test(operator);

function principalIs(principal: unknown, value: string, field: 'AWS' | 'Service'): boolean {
  if (principal === value && value === '*') return true;
  const named = (principal as Record<string, unknown> | null | undefined)?.[field];
  return named === value || (Array.isArray(named) && named.includes(value));
}

/**
 * Allows anyone: Principal `*` (or AWS/Service `*`) with no condition limiting the caller's account, organization
 * or source; or Amazon S3 with no aws:SourceAccount (a bucket ARN names no account, so any account's bucket of that
 * name could invoke the function), as Security Hub's Lambda.1 and AWS's Automated Security Response judge it.
 */
export function isPublicStatement(statement: Statement): boolean {
  if (statement.Effect !== 'Allow') return false;
  const { Principal: principal, Condition: condition } = statement;
  if (principalIs(principal, '*', 'AWS') || principalIs(principal, '*', 'Service')) {
    return !conditionKeys(condition, (operator, key) => limiting(operator) && CALLER_LIMITS.has(key));
  }
  if (principalIs(principal, 's3.amazonaws.com', 'Service')) {
    return !conditionKeys(condition, (operator, key) => limiting(operator) && key === 'aws:sourceaccount');
  }
  return false;
}

export function statementsOf(policy: { Statement?: unknown }): Statement[] {
  const statement = policy.Statement;
  if (statement === undefined) return [];
  return (Array.isArray(statement) ? statement : [statement]) as Statement[];
}

const isNotFound = (error: unknown) => (error as { name?: string } | null)?.name === 'ResourceNotFoundException';

/** The function's policy statements; none when it has no policy (Lambda answers ResourceNotFoundException then). */
export async function readStatements(lambda: LambdaClient, functionName: string): Promise<Statement[]> {
  const { GetPolicyCommand } = await sdk.lambda();
  try {
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: functionName }));
    return statementsOf(JSON.parse(Policy ?? '{}') as { Statement?: unknown });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** Statements in a stable order, so two reads of the same policy compare equal. */
export function sortedStatements(statements: Statement[]): Statement[] {
  return [...statements].sort((a, b) => String(a.Sid).localeCompare(String(b.Sid)));
}

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' ? value[0] : undefined;
}

/** What AddPermission fields a condition key comes from (lower-cased key -> field). */
const CONDITION_FIELDS: Record<string, 'SourceArn' | 'SourceAccount' | 'PrincipalOrgID' | 'FunctionUrlAuthType' | 'EventSourceToken'> = {
  'aws:sourcearn': 'SourceArn',
  'aws:sourceaccount': 'SourceAccount',
  'aws:principalorgid': 'PrincipalOrgID',
  'lambda:functionurlauthtype': 'FunctionUrlAuthType',
  'lambda:eventsourcetoken': 'EventSourceToken',
};

/**
 * The AddPermission input that writes this statement again, or undefined when AddPermission cannot express it (a
 * statement someone wrote with other condition keys or several actions): such a statement is removed without undo.
 */
export function addPermissionInput(functionName: string, statement: Statement): AddPermissionCommandInput | undefined {
  const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
  const action = single(statement.Action);
  const p = statement.Principal;
  const principal =
    typeof p === 'string'
      ? p
      : (single((p as Record<string, unknown> | null)?.AWS) ?? single((p as Record<string, unknown> | null)?.Service));
  if (!sid || !action || !principal || statement.Effect !== 'Allow') return undefined;
  const fields: Record<string, string> = {};
  for (const [, block] of Object.entries((statement.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, value] of Object.entries(block ?? {})) {
      const field = CONDITION_FIELDS[key.toLowerCase()];
      const text = single(value);
      if (!field || text === undefined) return undefined;
      fields[field] = text;
    }
  }
  return { FunctionName: functionName, StatementId: sid, Action: action, Principal: principal, ...fields };
}
