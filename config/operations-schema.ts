/**
 * The operating part of `cloudmend.yaml`: where alarms go, which key
 * encrypts what the handler stacks hold. Kept apart from
 * schema.ts so the deployment's shape and its operation evolve separately.
 *
 * ARNs of things that live in every handler region are written once with
 * `{region}` in place of the region, because CloudWatch alarms only notify a
 * topic of their own region.
 */
import { z } from 'zod';
import { partitionOf } from './regions';

export const REGION_PLACEHOLDER = '{region}';

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;

/** `arn:<partition>:<service>:<region or {region}>:<account>:<resource>`, checked field by field so the message says which part is wrong. */
function regionalArn(service: string, resource: RegExp, example: string) {
  return z.string().superRefine((text, ctx) => {
    const parts = text.split(':');
    const fail = (what: string) => ctx.addIssue({ code: 'custom', message: `${what}; expected an ARN like ${example}` });
    if (parts.length < 6 || parts[0] !== 'arn') return fail(`"${text}" is not an ARN`);
    const [, partition = '', arnService = '', region = '', account = ''] = parts;
    const rest = parts.slice(5).join(':');
    if (!(PARTITIONS as readonly string[]).includes(partition)) return fail(`unknown partition "${partition}"`);
    if (arnService !== service) return fail(`"${text}" is a ${arnService || 'service-less'} ARN, not ${service}`);
    if (region !== REGION_PLACEHOLDER && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      return fail(`"${region}" is not a region (nor ${REGION_PLACEHOLDER})`);
    if (!/^\d{12}$/.test(account)) return fail(`"${account}" is not a 12-digit account id`);
    if (!resource.test(rest)) return fail(`"${rest}" is not a valid ${service} resource name`);
  });
}

export const SnsTopicArnTemplate = regionalArn(
  'sns',
  /^[A-Za-z0-9_-]{1,256}$/,
  `arn:aws:sns:${REGION_PLACEHOLDER}:111111111111:ops-alerts`,
);

/** A key's ARN (not an alias: CloudWatch Logs takes key ARNs only). */
export const KmsKeyArnTemplate = regionalArn(
  'kms',
  /^key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  `arn:aws:kms:${REGION_PLACEHOLDER}:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
);

export const EncryptionConfig = z
  .strictObject({
    kmsKey: z
      .union([z.literal('create'), KmsKeyArnTemplate])
      .optional()
      .describe(
        `Customer-managed KMS key for the topics, the DLQ and the log group: "create" (one per handler region, its policy generated), or a key ARN with ${REGION_PLACEHOLDER} (its policy must allow what docs/operations.md lists). Absent: AWS-managed encryption where AWS allows it`,
      ),
    deletionWindowDays: z
      .number()
      .int()
      .min(7)
      .max(30)
      .default(30)
      .describe('Waiting period before a created key that is removed is deleted'),
  })
  .describe('Encryption at rest of what the handler stacks hold');

export type EncryptionConfig = z.output<typeof EncryptionConfig>;

/** Short, so every derived name stays within AWS's limits (a Security Hub action id is at most 20 characters). */
export const NamingConfig = z
  .strictObject({
    prefix: z
      .string()
      .regex(/^([a-z][a-z0-9]{0,7})?$/, {
        message: 'a prefix is 1-8 lowercase letters and digits starting with a letter, e.g. "prod" or "acme2"; "" for none',
      })
      .default('')
      .describe(
        'Put in front of every name cloudmend gives (stacks and their state keys, roles, functions, topics, queues, rules, alarms, keys), so two deployments coexist in one account and one state bucket',
      ),
  })
  .describe('Names of what cloudmend creates');

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Why a tag key cannot be used, or undefined when it can. */
function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 128) return 'a tag key is 1-128 characters';
  if (!TAG_TEXT.test(key)) return 'a tag key: letters, digits, spaces and _.:/=+-@';
  if (key.toLowerCase().startsWith('aws:')) return 'tag keys starting with "aws:" are reserved by AWS';
  if (key.startsWith('cloudmend:')) return 'tag keys starting with "cloudmend:" are set by cloudmend itself';
  return undefined;
}

export const TagsConfig = z
  .record(z.string(), z.string().max(256).regex(TAG_TEXT, { message: 'a tag value: up to 256 letters, digits, spaces and _.:/=+-@' }))
  .superRefine((tags, ctx) => {
    for (const key of Object.keys(tags)) {
      const problem = tagKeyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: `${problem}: rename "${key}"` });
    }
    if (Object.keys(tags).length > 40)
      ctx.addIssue({ code: 'custom', message: 'at most 40 tags: AWS allows 50 per resource, and cloudmend sets its own' });
  })
  .describe(
    'Tags on every taggable resource cloudmend creates (provider default_tags and the member StackSet), e.g. { owner: secops, cost-center: "1234" }',
  );

export const AlarmsConfig = z
  .strictObject({
    topicArn: SnsTopicArnTemplate.optional().describe(
      `SNS topic the alarms notify, one per handler region: write ${REGION_PLACEHOLDER} for the region. Absent: each handler stack creates its own (output alarms_topic_arn); subscribe to it`,
    ),
    dlqMessages: z.number().int().min(1).default(1).describe('Alarm when the dead-letter queue holds at least this many messages'),
    lambdaErrors: z.number().int().min(1).default(1).describe('Alarm when the handler fails this many invocations in 5 minutes'),
    throttles: z.number().int().min(1).default(1).describe('Alarm when the handler is throttled this many times in 5 minutes'),
    remediationFailures: z.number().int().min(1).default(1).describe('Alarm when this many remediations fail in 5 minutes'),
  })
  .describe('CloudWatch alarms of every handler stack');

export const ALARMS_DEFAULT = { dlqMessages: 1, lambdaErrors: 1, throttles: 1, remediationFailures: 1 } as const;

export type AlarmsConfig = z.output<typeof AlarmsConfig>;

interface OperationsView {
  regions: { include: 'all-enabled' | string[] };
  alarms: AlarmsConfig;
  encryption: EncryptionConfig;
}

/** Cross-field checks: an ARN of another partition, or a fixed region where several are deployed. */
export function checkOperations(config: OperationsView, ctx: z.RefinementCtx): void {
  const regions = Array.isArray(config.regions.include) ? config.regions.include : undefined;
  const check = (arn: string | undefined, path: (string | number)[], what: string, schema: z.ZodType) => {
    // A malformed ARN has its own issue already; cross-checking its parts would only repeat it.
    if (!arn || !schema.safeParse(arn).success) return;
    const [, partition, , region] = arn.split(':');
    const deployed = regions ? [...new Set(regions.map(partitionOf))] : [];
    if (deployed.length === 1 && deployed[0] !== partition) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${what} is in partition ${partition}, the regions are in ${deployed[0]}: use an arn:${deployed[0]}:... ARN`,
      });
    }
    if (region !== REGION_PLACEHOLDER && !(regions?.length === 1 && regions[0] === region)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `${what} names region ${region}, but a handler is deployed in ${regions ? regions.join(', ') : 'every enabled region'} and each needs its own: write ${REGION_PLACEHOLDER} in place of the region`,
      });
    }
  };
  check(config.alarms.topicArn, ['alarms', 'topicArn'], 'alarms.topicArn', SnsTopicArnTemplate);
  const key = config.encryption.kmsKey;
  if (key !== 'create') check(key, ['encryption', 'kmsKey'], 'encryption.kmsKey', KmsKeyArnTemplate);
}

export function prefixed(prefix: string, name: string): string {
  return prefix ? `${prefix}-${name}` : name;
}

export const DEFAULT_MEMBER_ROLE_NAME = 'CloudmendRemediation';

/**
 * The member role is named by cloudmend unless the operator names it: then it
 * carries the prefix like every other name. Idempotent (a prefixed name is no
 * longer the default), so parsing a parsed config changes nothing.
 */
export function resolveNaming<T extends { naming: { prefix: string }; roles: { memberRoleName: string } }>(config: T): T {
  if (!config.naming.prefix || config.roles.memberRoleName !== DEFAULT_MEMBER_ROLE_NAME) return config;
  return { ...config, roles: { ...config.roles, memberRoleName: prefixed(config.naming.prefix, DEFAULT_MEMBER_ROLE_NAME) } };
}

/** The ARN for one region. */
export function forRegion(template: string, region: string): string {
  return template.split(REGION_PLACEHOLDER).join(region);
}
