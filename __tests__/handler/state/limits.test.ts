import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudmendConfig } from '../../../config/schema';
import { hourWindow, hourWindowEnd } from '../../../handler/state/keys';
import { recordFailure, release, reserve } from '../../../handler/state/limits';
import { stateTable } from '../../../handler/state/table';
import { awsError } from '../../support/aws-error';

const NOW = new Date('2026-11-30T11:40:00Z');
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('limit counters', () => {
  const dynamodb = mockClient(DynamoDBClient);
  const table = stateTable('cloudmend-state-eu-west-1', 'eu-west-1');
  beforeEach(() => dynamodb.reset());

  it('reserve is one atomic ADD of a unit and its holder, conditional on the count being under the limit, expiring a day after its hour', async () => {
    dynamodb.on(UpdateItemCommand).resolves({});
    expect(await reserve(table, { kind: 'account', account: '222222222222' }, hourWindow(NOW), 50, NOW, 'run-1')).toBe(true);
    expect(dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'cloudmend-state-eu-west-1',
      Key: { id: { S: 'limit#account#222222222222#2026-11-30T11' } },
      UpdateExpression: 'ADD #count :one, #holders :token SET #expiry = if_not_exists(#expiry, :expiry)',
      ConditionExpression: '(attribute_not_exists(#count) OR #count < :limit) AND NOT contains(#holders, :holder)',
      ExpressionAttributeNames: { '#count': 'count', '#holders': 'holders', '#expiry': 'expiration' },
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':token': { SS: ['run-1'] },
        ':holder': { S: 'run-1' },
        ':limit': { N: '50' },
        ':expiry': { N: String(Date.parse('2026-11-30T12:00:00Z') / 1000 + 86400) },
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reserve says no when the condition fails, and lets other errors through', async () => {
    dynamodb.on(UpdateItemCommand).rejectsOnce(conditionFailed()).rejectsOnce(awsError('ThrottlingException', 'slow down'));
    expect(await reserve(table, { kind: 'bot', bot: 'fix' }, '2026-11-30T11', 1, NOW, 'run-1')).toBe(false);
    await expect(reserve(table, { kind: 'bot', bot: 'fix' }, '2026-11-30T11', 1, NOW, 'run-1')).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('reserve says yes when the condition failed on its own earlier attempt (the unit is held under its token)', async () => {
    const held = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: { count: { N: '1' }, holders: { SS: ['run-1'] } },
    });
    dynamodb.on(UpdateItemCommand).rejects(held);
    expect(await reserve(table, { kind: 'bot', bot: 'fix' }, '2026-11-30T11', 1, NOW, 'run-1')).toBe(true);
    expect(await reserve(table, { kind: 'bot', bot: 'fix' }, '2026-11-30T11', 1, NOW, 'run-2')).toBe(false);
  });

  it('release gives back only a unit its token holds, so a resent release counts down once', async () => {
    dynamodb.on(UpdateItemCommand).rejects(conditionFailed());
    await release(table, { kind: 'bot', bot: 'fix' }, '2026-11-30T11', 'run-1');
    expect(dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input).toMatchObject({
      Key: { id: { S: 'limit#bot#fix#2026-11-30T11' } },
      UpdateExpression: 'ADD #count :minusOne DELETE #holders :token',
      ConditionExpression: 'contains(#holders, :holder)',
      ExpressionAttributeValues: { ':minusOne': { N: '-1' }, ':token': { SS: ['run-1'] }, ':holder': { S: 'run-1' } },
    });
  });

  it('the failure that reaches the threshold pauses the bot, once', async () => {
    dynamodb
      .on(UpdateItemCommand)
      .resolvesOnce({ Attributes: { failures: { N: '3' } } })
      .resolvesOnce({})
      .resolvesOnce({ Attributes: { failures: { N: '4' }, paused: { BOOL: true } } });
    expect(await recordFailure(table, '222222222222', 'fix', 3, 'AccessDenied: no', NOW)).toBe(true);
    expect(dynamodb.commandCalls(UpdateItemCommand)[1]!.args[0].input).toMatchObject({
      Key: { id: { S: 'breaker#222222222222#fix' } },
      UpdateExpression: 'SET paused = :true, pausedAt = :now',
      ConditionExpression: 'attribute_not_exists(paused) OR paused = :false',
    });
    expect(await recordFailure(table, '222222222222', 'fix', 3, 'AccessDenied: no', NOW)).toBe(false);
    expect(dynamodb.commandCalls(UpdateItemCommand)).toHaveLength(3);
  });

  it('windows are clock hours', () => {
    expect(hourWindow(NOW)).toBe('2026-11-30T11');
    expect(hourWindowEnd(new Date('2026-11-30T23:59:59Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe('limits in cloudmend.yaml', () => {
  const base = {
    securityAccount: '111111111111',
    organization: { accounts: [{ id: '222222222222', name: 'a', ou: 'Root' }] },
    bots: { enabled: 'all' },
  };

  it('defaults to 50 per account and 200 per bot per hour, pausing after 3 failures in a row', () => {
    expect(CloudmendConfig.parse(base).limits).toEqual({ perAccountPerHour: 50, perBotPerHour: 200, consecutiveFailures: 3 });
  });

  it.each([
    [{ perAccountPerHour: -5 }, 'perAccountPerHour', 'limits.perAccountPerHour must be at least 1'],
    [{ perBotPerHour: 0 }, 'perBotPerHour', 'limits.perBotPerHour must be at least 1'],
    [{ consecutiveFailures: 1.5 }, 'consecutiveFailures', 'limits.consecutiveFailures must be a whole number of at least 1'],
    [{ perHour: 5 }, '', 'perHour'],
  ])('refuses %j, naming the field', (limits, field, message) => {
    const parsed = CloudmendConfig.safeParse({ ...base, limits });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(field ? `limits.${field}` : 'limits');
    expect(issue.message).toContain(message);
  });
});
