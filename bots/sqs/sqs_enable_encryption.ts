import type { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { alreadyCompliant, ChangeSet } from '../changes';
import { defineBot } from '../types';
import { nameOfTarget, QUEUE_RESOURCE, queueArn, queueName, queueUrl } from './queue';
import { sdk } from '../sdk';

const NAME = 'sqs_enable_encryption';

const params = z.strictObject({
  kms_key: z
    .string()
    .trim()
    .regex(
      /^(arn:[\w-]+:kms:[\w-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+|alias\/[\w/+=,.@-]+|[0-9a-f-]{36})$/,
      'must be a KMS key id, key ARN, alias name or alias ARN',
    )
    .optional()
    .describe(
      'KMS key for SSE-KMS (key id, key ARN, alias/<name> or alias ARN); it must be in the finding’s account or on trust.allowedKmsKeys, ' +
        'and its key policy must let the queue’s producers and consumers use it. Default: none, SQS-managed encryption (SSE-SQS)',
    ),
});

/** The encryption attributes as undo records and compares them. */
interface QueueEncryption {
  SqsManagedSseEnabled: string;
  KmsMasterKeyId: string;
}

async function readEncryption(sqs: SQSClient, url: string): Promise<QueueEncryption> {
  const { GetQueueAttributesCommand } = await sdk.sqs();
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['SqsManagedSseEnabled', 'KmsMasterKeyId'] }),
  );
  return { SqsManagedSseEnabled: Attributes.SqsManagedSseEnabled ?? 'false', KmsMasterKeyId: Attributes.KmsMasterKeyId ?? '' };
}

function describeEncryption(state: QueueEncryption): string {
  if (state.KmsMasterKeyId) return `SSE-KMS with ${state.KmsMasterKeyId}`;
  return state.SqsManagedSseEnabled === 'true' ? 'SSE-SQS' : 'unencrypted';
}

export default defineBot({
  meta: {
    name: NAME,
    summary: 'Turn on server-side encryption of an SQS queue (SQS-managed by default, or a KMS key)',
    description:
      'Reads the queue’s encryption attributes; a queue already encrypted, with SQS-managed keys or any KMS key, is compliant and ' +
      'left as it is. Otherwise sets SqsManagedSseEnabled=true, or KmsMasterKeyId=`kms_key` when given (the data key reuse period ' +
      'stays at its default). Only messages sent afterwards are encrypted; messages already in the queue are not. With a KMS ' +
      'key, producers and consumers (and services such as SNS or EventBridge sending to the queue) need kms:GenerateDataKey and ' +
      'kms:Decrypt on it, or their calls fail: check the key policy first. Undo turns the encryption off again.',
    resourceTypes: ['AWS::SQS::Queue'],
    remediates: { securityHub: ['SQS.1'], config: ['sqs-queue-encrypted'] },
    params,
    positional: ['kms_key'],
    overridable: [],
    sensitiveParams: { kms_key: 'key' },
    permissions: [
      {
        actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
        resources: [QUEUE_RESOURCE],
        reason: 'find the queue, read its encryption attributes and turn encryption on',
      },
    ],
    undo: {
      encryption: {
        reversible: true,
        how: 'sets the queue’s SqsManagedSseEnabled and KmsMasterKeyId back to what they were (unencrypted); messages sent meanwhile stay encrypted',
        permissions: [
          {
            actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
            resources: [QUEUE_RESOURCE],
            reason: 'undo: read the queue’s encryption attributes and write the recorded ones back',
          },
        ],
      },
    },
  },
  undoers: {
    encryption: {
      async read(ctx) {
        const { SQSClient } = await sdk.sqs();
        const sqs = ctx.client(SQSClient);
        return readEncryption(sqs, await queueUrl(sqs, nameOfTarget(ctx.target), ctx.account));
      },
      async write(ctx, state) {
        const { SQSClient, SetQueueAttributesCommand } = await sdk.sqs();
        const sqs = ctx.client(SQSClient);
        const { SqsManagedSseEnabled, KmsMasterKeyId } = state as QueueEncryption;
        const url = await queueUrl(sqs, nameOfTarget(ctx.target), ctx.account);
        await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { SqsManagedSseEnabled, KmsMasterKeyId } }));
      },
    },
  },
  async run(ctx) {
    const { SQSClient, SetQueueAttributesCommand } = await sdk.sqs();
    const sqs = ctx.client(SQSClient);
    const name = queueName(ctx.finding.resource.id, ctx, NAME);
    const url = await queueUrl(sqs, name, ctx.account);
    const before = await readEncryption(sqs, url);
    if (before.KmsMasterKeyId || before.SqsManagedSseEnabled === 'true') {
      return alreadyCompliant(`queue ${name} is already encrypted (${describeEncryption(before)})`);
    }
    const key = ctx.params.kms_key;
    const attributes: Record<string, string> = key ? { KmsMasterKeyId: key } : { SqsManagedSseEnabled: 'true' };
    const after: QueueEncryption = key ? { ...before, KmsMasterKeyId: key } : { ...before, SqsManagedSseEnabled: 'true' };
    const changes = new ChangeSet(ctx);
    await changes.apply(
      {
        action: 'sqs:SetQueueAttributes',
        target: queueArn(ctx, name),
        description: `encryption at rest ${describeEncryption(before)} -> ${describeEncryption(after)}`,
        undo: { kind: 'encryption', before, after },
      },
      () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes })),
    );
    return changes.result(`turned on ${describeEncryption(after)} encryption of queue ${name}`);
  },
});
