/**
 * The policy of the customer-managed key a handler stack creates
 * (`encryption.kmsKey: create`), as a pure function so it can be proven by
 * simulation (__tests__/policies/handler-key.test.ts). It lets exactly these
 * use the key, each only for its own part:
 *
 * - the handler's execution role (Lambda): publish results, send to the DLQ,
 *   through SNS and SQS only;
 * - the configured publishers (and the security account): publish findings, through SNS only;
 * - SNS: put what the findings subscription cannot deliver into the DLQ;
 * - EventBridge: put what the source rules cannot deliver into the DLQ;
 * - CloudWatch: alarms notifying the alarm topic;
 * - CloudWatch Logs: the handler's log group only;
 * - principals of the security account that IAM allows (`cloudmend redrive`):
 *   read the DLQ, through SQS only.
 *
 * The account administers the key (rotation, policy, deletion) but nobody
 * encrypts or decrypts with it outside these statements. Actions are listed,
 * never wildcards.
 */
/** A resource policy statement: who (Principal) may do what to the key. */
export interface KeyPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string | string[] } | { Service: string };
  Action: string[];
  /** In a key policy, "*" is the key itself: the only resource a key policy can name. */
  Resource: string;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface KeyPolicyDocument {
  Version: '2012-10-17';
  Statement: KeyPolicyStatement[];
}

export interface KeyPolicyScope {
  partition: string;
  region: string;
  account: string;
  handlerRoleArn: string;
  /** Accounts allowed to publish findings (the security account is always one). */
  publisherAccounts: readonly string[];
  findingsTopicArn: string;
  logGroupArn: string;
  /** Source rules whose targets dead-letter into the DLQ. */
  ruleArns: readonly string[];
  /** Alarms that notify a topic this key encrypts (ARN pattern); absent when alarms notify a topic of the operator's. */
  alarmArnPattern?: string;
}

export const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** What SNS and SQS need from a caller to write (and read back) an encrypted message. */
const ENVELOPE = ['kms:GenerateDataKey', 'kms:Decrypt'];

export function handlerKeyPolicy(scope: KeyPolicyScope): KeyPolicyDocument {
  const { partition, region, account } = scope;
  const root = (id: string) => `arn:${partition}:iam::${id}:root`;
  const via = (service: string) => `${service}.${region}.amazonaws.com`;
  const publishers = [...new Set([account, ...scope.publisherAccounts])].sort();
  const statements: KeyPolicyStatement[] = [
    { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: root(account) }, Action: KEY_ADMIN_ACTIONS, Resource: '*' },
    {
      Sid: 'HandlerPublishesAndDeadLetters',
      Effect: 'Allow',
      Principal: { AWS: scope.handlerRoleArn },
      Action: ENVELOPE,
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': [via('sns'), via('sqs')] } },
    },
    {
      Sid: 'PublishersSendFindings',
      Effect: 'Allow',
      Principal: { AWS: publishers.map(root) },
      Action: ENVELOPE,
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': via('sns') } },
    },
    {
      Sid: 'SnsDeadLettersFindings',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ENVELOPE,
      Resource: '*',
      Condition: { ArnEquals: { 'aws:SourceArn': scope.findingsTopicArn } },
    },
    ...(scope.ruleArns.length > 0
      ? [
          {
            Sid: 'EventBridgeDeadLettersEvents',
            Effect: 'Allow' as const,
            Principal: { Service: 'events.amazonaws.com' },
            Action: ENVELOPE,
            Resource: '*',
            Condition: { ArnEquals: { 'aws:SourceArn': [...scope.ruleArns] } },
          },
        ]
      : []),
    ...(scope.alarmArnPattern
      ? [
          {
            Sid: 'CloudWatchAlarmsNotify',
            Effect: 'Allow' as const,
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ENVELOPE,
            Resource: '*',
            Condition: { ArnLike: { 'aws:SourceArn': scope.alarmArnPattern } },
          },
        ]
      : []),
    {
      Sid: 'CloudWatchLogsHandlerLogGroup',
      Effect: 'Allow',
      Principal: { Service: via('logs') },
      Action: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:DescribeKey',
      ],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': scope.logGroupArn } },
    },
    {
      Sid: 'OperatorsReadDeadLetters',
      Effect: 'Allow',
      Principal: { AWS: root(account) },
      Action: ['kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': via('sqs') } },
    },
  ];
  return { Version: '2012-10-17', Statement: statements };
}
