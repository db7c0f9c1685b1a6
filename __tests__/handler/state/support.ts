/**
 * For the remediation state's tests: the state table as the handler stack
 * creates it (key `id`, TTL on `expiration`), in moto.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateTimeToLiveCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { RemediationResult } from '../../../handler/report';

export async function createStateTable(name: string, region = 'us-east-1'): Promise<DynamoDBClient> {
  const dynamodb = new DynamoDBClient({ region });
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  await dynamodb.send(
    new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } }),
  );
  return dynamodb;
}

export async function readItem(dynamodb: DynamoDBClient, table: string, id: string): Promise<Record<string, AttributeValue> | undefined> {
  return (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))).Item;
}

/** A results topic with a queue subscribed to it, so a test reads exactly what subscribers received. */
export async function resultsTopicWithQueue(
  region = 'us-east-1',
): Promise<{ topicArn: string; received: () => Promise<RemediationResult[]> }> {
  const sns = new SNSClient({ region });
  const sqs = new SQSClient({ region });
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'cloudmend-results' }))).TopicArn!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'results-subscriber' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!
    .QueueArn!;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }),
  );
  const received = async () => {
    const messages: RemediationResult[] = [];
    for (;;) {
      const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (!page.Messages?.length) return messages;
      messages.push(...page.Messages.map((m) => JSON.parse(m.Body!) as RemediationResult));
    }
  };
  return { topicArn, received };
}
