import type { SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { alreadyCompliant, ChangeSet } from '../changes';
import { defineBot } from '../types';
import {
  ensureFeedbackRole,
  FEEDBACK_POLICY_NAME,
  FEEDBACK_ROLE_BOUNDARY,
  FEEDBACK_ROLE_KIND,
  FEEDBACK_ROLE_NAME,
  FEEDBACK_ROLE_UNDO,
  SNS_SERVICE,
} from './feedback-role';
import { readTopicAttributes, TOPIC_RESOURCE, topicOf } from './topic';
import { sdk } from '../sdk';

const NAME = 'sns_enable_delivery_status_logging';

/** The endpoint protocols SNS logs delivery status for, by param value, with the prefix of their topic attributes. */
const PROTOCOLS = { http: 'HTTP', firehose: 'Firehose', lambda: 'Lambda', application: 'Application', sqs: 'SQS' } as const;
type Protocol = keyof typeof PROTOCOLS;
const ALL_PROTOCOLS = Object.keys(PROTOCOLS) as Protocol[];
/**
 * The feedback role attributes of every protocol: what turns logging on and off, and the state undo records
 * and restores. A sample rate without a role does nothing, so undo leaves it (SNS takes no empty rate).
 */
const FEEDBACK_ATTRIBUTES = ALL_PROTOCOLS.flatMap((p) => [
  `${PROTOCOLS[p]}SuccessFeedbackRoleArn`,
  `${PROTOCOLS[p]}FailureFeedbackRoleArn`,
]);

/** A role ARN of any path; its name is what the session policy names (plain characters only). */
const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

const params = z.strictObject({
  protocols: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((p) => p.trim().toLowerCase()) : value),
      z.array(z.enum(ALL_PROTOCOLS as [Protocol, ...Protocol[]])).min(1),
    )
    .default(ALL_PROTOCOLS)
    .describe(`Endpoint protocols to log delivery status for, comma-separated (${ALL_PROTOCOLS.join(', ')}). Default: all`),
  success_sample_rate: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .default(0)
    .describe('Percentage of successful deliveries logged (0-100); failed deliveries are always logged. Default: 0'),
  role_arn: z
    .string()
    .trim()
    .regex(ROLE_ARN, 'must be an IAM role ARN whose name has only letters, digits, ".", "_" and "-"')
    .optional()
    .describe(
      `Role SNS assumes to write the logs, in the finding's account; it must trust ${SNS_SERVICE} and may write CloudWatch Logs. ` +
        `Default: ${FEEDBACK_ROLE_NAME}, created once per account by the bot`,
    ),
});

/** The role attributes among `values` (the sample rates left out). */
function roleValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => name.endsWith('FeedbackRoleArn')));
}

function describeProtocols(protocols: readonly Protocol[]): string {
  return protocols.map((p) => PROTOCOLS[p]).join(', ');
}

/** Each feedback role attribute, '' when unset. */
async function readFeedback(sns: SNSClient, topicArn: string): Promise<Record<string, string>> {
  const attributes = await readTopicAttributes(sns, topicArn);
  return Object.fromEntries(FEEDBACK_ATTRIBUTES.map((name) => [name, attributes[name] ?? '']));
}

async function setAttributes(sns: SNSClient, topicArn: string, values: Record<string, string>): Promise<void> {
  const { SetTopicAttributesCommand } = await sdk.sns();
  // SetTopicAttributes takes one attribute per call.
  for (const [name, value] of Object.entries(values)) {
    await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: name, AttributeValue: value }));
  }
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Log the delivery status of an SNS topic’s messages to CloudWatch Logs, through a role created once or given',
    description:
      'Reads the topic’s delivery status attributes and, for each protocol in `protocols` (default all five: HTTP/S, Firehose, ' +
      'Lambda, platform application, SQS) that does not log both successes and failures yet, sets its SuccessFeedbackRoleArn and ' +
      'FailureFeedbackRoleArn to the logging role and its SuccessFeedbackSampleRate to `success_sample_rate` (default 0: failures ' +
      'only), filling in only what is unset. A protocol already logging, with any role, is left as it is. SNS writes to the log groups ' +
      'sns/<region>/<account>/<topic>[/Failure], which it creates and which never expire until you set a retention. The role is ' +
      `\`role_arn\` when given (not modified; it must be in the finding's account), else ${FEEDBACK_ROLE_NAME}: created once ` +
      `per account, assumable only by ${SNS_SERVICE} for this account, allowed only to write sns/* log groups ` +
      `(inline policy ${FEEDBACK_POLICY_NAME}) and bounded by the AWS managed policy ${FEEDBACK_ROLE_BOUNDARY}. The bot may ` +
      'hand that role only to SNS. Undo sets the delivery status attributes back as they were.',
    resourceTypes: ['AWS::SNS::Topic'],
    remediates: { securityHub: ['SNS.2'], config: ['sns-topic-message-delivery-notification-enabled'] },
    params,
    overridable: ['protocols', 'success_sample_rate'],
    sensitiveParams: { role_arn: 'principal' },
    permissions: [
      {
        actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'],
        resources: [TOPIC_RESOURCE],
        reason: 'read the topic’s delivery status attributes and set them',
      },
      {
        actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:TagRole'],
        resources: [`arn:{partition}:iam::{account}:role/${FEEDBACK_ROLE_NAME}`],
        reason: 'without role_arn: check and reuse the logging role, and tag it cloudmend:created-by when creating it',
        global: true,
      },
      {
        actions: ['iam:CreateRole', 'iam:PutRolePolicy'],
        resources: [`arn:{partition}:iam::{account}:role/${FEEDBACK_ROLE_NAME}`],
        conditions: { ArnLike: { 'iam:PermissionsBoundary': `arn:*:iam::aws:policy/${FEEDBACK_ROLE_BOUNDARY}` } },
        reason:
          'without role_arn: create the logging role once per account and write its policy, only under a CloudWatch-Logs-only ' +
          'permissions boundary, so these rights can never mint a more powerful role',
        global: true,
      },
      {
        actions: ['iam:PassRole'],
        // The role the bot created or was given, named in the session once known; any path before its name.
        resources: ['arn:{partition}:iam::{account}:role/{roleName}', 'arn:{partition}:iam::{account}:role/*/{roleName}'],
        conditions: { StringEquals: { 'iam:PassedToService': SNS_SERVICE } },
        reason: 'hand the logging role to SNS (and to no other service) when setting the topic’s feedback role attributes',
        global: true,
      },
    ],
    undo: {
      [FEEDBACK_ROLE_KIND]: FEEDBACK_ROLE_UNDO,
      'delivery-status-logging': {
        reversible: true,
        how: 'sets every feedback role attribute of the topic back to its recorded value (empty: not logging); sample rates and a role the bot created are kept',
        permissions: [
          {
            actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'],
            resources: [TOPIC_RESOURCE],
            reason: 'undo: read the topic’s delivery status attributes and write the recorded ones back',
          },
        ],
      },
    },
  },
  undoers: {
    'delivery-status-logging': {
      async read(ctx) {
        const { SNSClient } = await sdk.sns();
        return readFeedback(ctx.client(SNSClient), ctx.target);
      },
      async write(ctx, state) {
        const { SNSClient } = await sdk.sns();
        const sns = ctx.client(SNSClient);
        const current = await readFeedback(sns, ctx.target);
        const wanted = state as Record<string, string>;
        // Only what differs: the bot only ever filled unset attributes, so undo clears them and needs no iam:PassRole.
        const differing = Object.fromEntries(
          FEEDBACK_ATTRIBUTES.filter((n) => (wanted[n] ?? '') !== current[n]).map((n) => [n, wanted[n] ?? '']),
        );
        await setAttributes(sns, ctx.target, differing);
      },
    },
  },
  async run(ctx) {
    const { SNSClient } = await sdk.sns();
    const { IAMClient } = await sdk.iam();
    const sns = ctx.client(SNSClient);
    const topic = topicOf(ctx.finding.resource.id, ctx, NAME);
    const { protocols, success_sample_rate: sampleRate, role_arn: givenRole } = ctx.params;

    const given = givenRole ? ROLE_ARN.exec(givenRole) : undefined;
    if (given && (given[1] !== ctx.partition || given[2] !== ctx.account)) {
      throw new Error(`${NAME}: role_arn ${givenRole} is not in the finding's account ${ctx.account} (partition ${ctx.partition})`);
    }

    const before = await readFeedback(sns, topic.arn);
    const missing = [...new Set(protocols)].filter((p) => {
      const prefix = PROTOCOLS[p];
      return before[`${prefix}SuccessFeedbackRoleArn`] === '' || before[`${prefix}FailureFeedbackRoleArn`] === '';
    });
    if (missing.length === 0) {
      return alreadyCompliant(`topic ${topic.name} already logs the delivery status of ${describeProtocols(protocols)}`);
    }

    const changes = new ChangeSet(ctx);
    const roleArn = givenRole ?? (await ensureFeedbackRole(ctx.client(IAMClient), changes, { ...ctx, createdBy: NAME }));
    const roleName = roleArn.split('/').pop() ?? '';
    const values: Record<string, string> = {};
    for (const p of missing) {
      const prefix = PROTOCOLS[p];
      // A half-configured protocol keeps the role it has: only what is unset is filled in.
      if (before[`${prefix}SuccessFeedbackRoleArn`] === '') {
        values[`${prefix}SuccessFeedbackRoleArn`] = roleArn;
        values[`${prefix}SuccessFeedbackSampleRate`] = String(sampleRate);
      }
      if (before[`${prefix}FailureFeedbackRoleArn`] === '') values[`${prefix}FailureFeedbackRoleArn`] = roleArn;
    }
    // Passing the role to SNS is allowed only in a session naming it.
    const writer = ctx.dryRun ? sns : (await ctx.narrowTo({ roleName: [roleName] }))(SNSClient);
    await changes.apply(
      {
        action: 'sns:SetTopicAttributes',
        target: topic.arn,
        description: `delivery status logging of ${describeProtocols(missing)} off -> on, through ${roleArn}, ${sampleRate}% of successes`,
        undo: { kind: 'delivery-status-logging', before, after: { ...before, ...roleValues(values) } },
      },
      () => setAttributes(writer, topic.arn, values),
    );
    return changes.result(`topic ${topic.name} now logs the delivery status of ${describeProtocols(missing)} to CloudWatch Logs`);
  },
});
