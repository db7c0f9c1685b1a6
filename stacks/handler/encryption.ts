/**
 * Which key encrypts what a handler stack holds. With `encryption.kmsKey`
 * (created here, or given), everything uses it. Without, AWS-managed
 * encryption wherever AWS allows it:
 *
 * - the DLQ: SQS-managed SSE (SNS and EventBridge can write to it; they could
 *   not with the AWS-managed SQS key, whose policy they are not in);
 * - the results topic: the AWS-managed SNS key (only this account's handler publishes);
 * - the findings topic: the AWS-managed SNS key when only the security account
 *   publishes; none when other accounts do, because the AWS-managed key's policy
 *   cannot admit another account, and their publishes would fail;
 * - the alarm topic: none, because CloudWatch (like EventBridge) cannot use the
 *   AWS-managed SNS key: its alarms would never arrive;
 * - the log group: CloudWatch Logs' own server-side encryption, always on.
 *
 * Set `encryption.kmsKey` to encrypt all of them with a key whose use is limited
 * to its statements (key-policy.ts).
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { forRegion } from '../../config/operations-schema';
import { type HandlerContext, json } from './context';
import { sourceRuleIds } from './event-rules';
import type { ExecutionRole } from './execution-role';
import { handlerKeyPolicy } from './key-policy';

export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

export interface EncryptionKey {
  /** The customer-managed key's ARN (a reference when created here); absent: AWS-managed encryption. */
  arn?: string;
  source: 'created' | 'given' | 'none';
}

/** The given key's ARN in this region, when the config names one. */
export function givenKeyArn(ctx: Pick<HandlerContext, 'config' | 'region'>): string | undefined {
  const key = ctx.config.encryption.kmsKey;
  return key && key !== 'create' ? forRegion(key, ctx.region) : undefined;
}

export function addEncryptionKey(ctx: HandlerContext, executionRole: ExecutionRole): EncryptionKey {
  const { config, names, arn, partition, account } = ctx;
  const given = givenKeyArn(ctx);
  if (given) return { arn: given, source: 'given' };
  if (config.encryption.kmsKey !== 'create') return { source: 'none' };
  const key = new KmsKey(ctx.scope, 'key', {
    description: `cloudmend ${ctx.region}: findings and results topics, dead-letter queue, handler logs`,
    enableKeyRotation: true,
    deletionWindowInDays: config.encryption.deletionWindowDays,
    policy: json(
      handlerKeyPolicy({
        partition,
        region: ctx.region,
        account,
        handlerRoleArn: `arn:${partition}:iam::${account}:role/${names.role}`,
        publisherAccounts: config.notifications.publisherAccounts,
        findingsTopicArn: arn('sns', names.inputTopic),
        logGroupArn: arn('logs', `log-group:${names.logGroup}`),
        ruleArns: sourceRuleIds(config).map((id) => arn('events', `rule/${names.rule(id)}`)),
        ...(config.alarms.topicArn ? {} : { alarmArnPattern: arn('cloudwatch', `alarm:${names.alarm}-*`) }),
      }),
    ),
    // KMS refuses a policy naming a principal that does not exist yet.
    dependsOn: [executionRole.role],
  });
  new KmsAlias(ctx.scope, 'key-alias', { name: names.keyAlias, targetKeyId: key.keyId });
  return { arn: key.arn, source: 'created' };
}

/** The key of a topic: the customer-managed one, else the AWS-managed SNS key where its publishers can use it, else none. */
export function topicKey(ctx: HandlerContext, key: EncryptionKey, topic: 'findings' | 'results' | 'alarms'): string | undefined {
  if (key.arn) return key.arn;
  if (topic === 'results') return AWS_MANAGED_SNS_KEY;
  if (topic === 'findings') {
    const foreign = ctx.config.notifications.publisherAccounts.some((id) => id !== ctx.account);
    return foreign ? undefined : AWS_MANAGED_SNS_KEY;
  }
  return undefined;
}
