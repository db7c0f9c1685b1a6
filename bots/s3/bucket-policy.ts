import type { S3Client } from '@aws-sdk/client-s3';
import { isS3Error } from './bucket';
import { sdk } from '../sdk';

/** One statement of a bucket policy, as its owner wrote it: every field is kept when the policy is rewritten. */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [field: string]: unknown;
}

export interface BucketPolicy {
  Version?: string;
  Id?: string;
  /** IAM allows a single statement object as well as a list. */
  Statement?: PolicyStatement | PolicyStatement[];
  [field: string]: unknown;
}

/** The bucket policy, or undefined when the bucket has none. */
export async function readBucketPolicy(s3: S3Client, bucket: string): Promise<BucketPolicy | undefined> {
  const { GetBucketPolicyCommand } = await sdk.s3();
  let text: string | undefined;
  try {
    text = (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy;
  } catch (error) {
    if (isS3Error(error, 'NoSuchBucketPolicy')) return undefined;
    throw error;
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text) as BucketPolicy;
  } catch {
    // S3 validates policies on write, so this is a broken read: never rewrite what we could not parse.
    throw new Error(`the bucket policy of ${bucket} is not valid JSON; refusing to rewrite it`);
  }
}

export function statementsOf(policy: BucketPolicy | undefined): PolicyStatement[] {
  const statement = policy?.Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

/**
 * The policy with `statement` appended after every existing statement, in
 * their order and with every other field of the document as it was. A new
 * policy when there was none. The Sid is made unique, as IAM requires.
 */
export function withStatement(policy: BucketPolicy | undefined, statement: PolicyStatement): BucketPolicy {
  const existing = statementsOf(policy);
  const sids = new Set(existing.map((s) => s.Sid));
  let sid = statement.Sid;
  for (let n = 2; sid !== undefined && sids.has(sid); n += 1) sid = `${statement.Sid}${n}`;
  const added = sid === undefined ? statement : { ...statement, Sid: sid };
  return { ...(policy ?? { Version: '2012-10-17' }), Statement: [...existing, added] };
}

export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM ARN matching: `*` any run of characters, `?` any one character. */
export function arnMatches(pattern: string, arn: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

/** Action matching is case-insensitive in IAM. */
export function actionMatches(pattern: string, action: string): boolean {
  return arnMatches(pattern.toLowerCase(), action.toLowerCase());
}

export function coversResources(statement: PolicyStatement, arns: string[]): boolean {
  const patterns = asList(statement.Resource).filter((r): r is string => typeof r === 'string');
  return arns.every((arn) => patterns.some((pattern) => arnMatches(pattern, arn)));
}

/** Principal `*` or `{ "AWS": "*" }`: everyone. */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: unknown } | null | undefined)?.AWS;
  return asList(aws).includes('*');
}

/** The condition keys of a statement, lower-cased (IAM condition keys are case-insensitive), with their operator and values. */
export function conditionEntries(statement: PolicyStatement): { operator: string; key: string; values: string[] }[] {
  return Object.entries(statement.Condition ?? {}).flatMap(([operator, block]) =>
    Object.entries(block ?? {}).map(([key, value]) => ({ operator, key: key.toLowerCase(), values: asList(value).map(String) })),
  );
}
