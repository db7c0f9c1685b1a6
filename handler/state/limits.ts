/**
 * Blast-radius counters and the consecutive-failure breaker, kept in the state
 * table. Every counter change is one atomic UpdateItem: `ADD` with a condition
 * that the count is still under its limit, so concurrent invocations can never
 * reserve more than the limit between them.
 */
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { hourWindowEnd, keys, type LimitScope } from './keys';
import { epochSeconds, EXPIRY_ATTRIBUTE, isConditionFailed, KEY_ATTRIBUTE, type StateTable } from './table';
import { sdk } from '../../bots/sdk';

/** Counters outlive their hour by a day, so an operator can still read them the morning after. */
const COUNTER_RETENTION_SECONDS = 24 * 3600;

/** The tokens of the runs holding a unit of a counter: `count` is their number. */
const HOLDERS_ATTRIBUTE = 'holders';

const key = (id: string): Record<string, AttributeValue> => ({ [KEY_ATTRIBUTE]: { S: id } });

/** One conditional UpdateItem on the state table: true when it applied, false when its condition did not hold. */
async function updateIf(table: StateTable, input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<boolean> {
  const [{ UpdateItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  try {
    await client.send(new UpdateItemCommand({ TableName: table.name, ...input }));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Takes one unit of `scope`'s budget for the hour `window`, held under
 * `token` (one per run). False, and nothing counted, when the budget is spent.
 *
 * The holder's token goes into the counter with the unit, so a request the
 * SDK resends after its answer was lost (a dropped connection, a 500 after the
 * write) neither takes a second unit (its condition fails, and the old item it
 * is shown holds the token: the first attempt counted) nor, in `release`,
 * gives back a unit twice. Without the token a resent release counted down
 * twice and let one more run past the limit.
 */
export async function reserve(
  table: StateTable,
  scope: LimitScope,
  window: string,
  limit: number,
  now: Date,
  token: string,
): Promise<boolean> {
  const [{ UpdateItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: table.name,
        Key: key(keys.counter(scope, window)),
        UpdateExpression: 'ADD #count :one, #holders :token SET #expiry = if_not_exists(#expiry, :expiry)',
        ConditionExpression: '(attribute_not_exists(#count) OR #count < :limit) AND NOT contains(#holders, :holder)',
        ExpressionAttributeNames: { '#count': 'count', '#holders': HOLDERS_ATTRIBUTE, '#expiry': EXPIRY_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':token': { SS: [token] },
          ':holder': { S: token },
          ':limit': { N: String(limit) },
          ':expiry': { N: String(epochSeconds(hourWindowEnd(now)) + COUNTER_RETENTION_SECONDS) },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    // Refused, unless what refused it was our own earlier attempt of this very request.
    const held = (error as { Item?: Record<string, AttributeValue> }).Item?.[HOLDERS_ATTRIBUTE]?.SS ?? [];
    return held.includes(token);
  }
}

/** Gives back the unit `token` holds (taken by `reserve` for a run that changed nothing); a second call for it changes nothing. */
export async function release(table: StateTable, scope: LimitScope, window: string, token: string): Promise<void> {
  await updateIf(table, {
    Key: key(keys.counter(scope, window)),
    UpdateExpression: 'ADD #count :minusOne DELETE #holders :token',
    ConditionExpression: 'contains(#holders, :holder)',
    ExpressionAttributeNames: { '#count': 'count', '#holders': HOLDERS_ATTRIBUTE },
    ExpressionAttributeValues: { ':minusOne': { N: '-1' }, ':token': { SS: [token] }, ':holder': { S: token } },
  });
}

/**
 * True the first time it is called for `scope` in `window`, false after: the
 * alert for a limit is published once per window, however many runs it stops.
 */
export async function claimAlert(table: StateTable, scope: LimitScope, window: string, now: Date): Promise<boolean> {
  const [{ PutItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  try {
    await client.send(
      new PutItemCommand({
        TableName: table.name,
        Item: {
          ...key(keys.alert(scope, window)),
          [EXPIRY_ATTRIBUTE]: { N: String(epochSeconds(hourWindowEnd(now)) + COUNTER_RETENTION_SECONDS) },
        },
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': KEY_ATTRIBUTE },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

export interface Breaker {
  /** Permanent failures in a row of this bot in this account (this region). */
  failures: number;
  paused: boolean;
  pausedAt?: string;
  lastError?: string;
}

/** Breakers carry no expiry: a paused bot stays paused until an operator resumes it. */
export async function readBreaker(table: StateTable, account: string, bot: string): Promise<Breaker> {
  const [{ GetItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table.name, Key: key(keys.breaker(account, bot)), ConsistentRead: true }),
  );
  return {
    failures: Number(Item?.failures?.N ?? '0'),
    paused: Item?.paused?.BOOL === true,
    ...(Item?.pausedAt?.S ? { pausedAt: Item.pausedAt.S } : {}),
    ...(Item?.lastError?.S ? { lastError: Item.lastError.S } : {}),
  };
}

/**
 * Counts a permanent failure. Returns true when this failure is the one that
 * paused the bot (exactly one caller sees true, so one alert is published).
 */
export async function recordFailure(
  table: StateTable,
  account: string,
  bot: string,
  threshold: number,
  error: string,
  now: Date,
): Promise<boolean> {
  const [{ UpdateItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  const { Attributes } = await client.send(
    new UpdateItemCommand({
      TableName: table.name,
      Key: key(keys.breaker(account, bot)),
      UpdateExpression: 'ADD failures :one SET lastError = :error, lastFailureAt = :now',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':error': { S: error.slice(0, 1000) }, ':now': { S: now.toISOString() } },
      ReturnValues: 'ALL_NEW',
    }),
  );
  if (Number(Attributes?.failures?.N ?? '0') < threshold || Attributes?.paused?.BOOL === true) return false;
  return updateIf(table, {
    Key: key(keys.breaker(account, bot)),
    UpdateExpression: 'SET paused = :true, pausedAt = :now',
    ConditionExpression: 'attribute_not_exists(paused) OR paused = :false',
    ExpressionAttributeValues: { ':true': { BOOL: true }, ':false': { BOOL: false }, ':now': { S: now.toISOString() } },
  });
}

/** A run that did not fail ends the streak (only written when there was one). */
export async function resetFailures(table: StateTable, account: string, bot: string): Promise<void> {
  await updateIf(table, {
    Key: key(keys.breaker(account, bot)),
    UpdateExpression: 'SET failures = :zero',
    // A pause stands until an operator lifts it, whatever a run in flight reports.
    ConditionExpression: 'attribute_not_exists(paused) OR paused = :false',
    ExpressionAttributeValues: { ':zero': { N: '0' }, ':false': { BOOL: false } },
  });
}

export interface ResumeRecord {
  /** Whether the bot was paused before. */
  wasPaused: boolean;
  failures: number;
  lastError?: string;
}

/** Lifts a pause (`cloudmend resume`): the streak starts again from zero. */
export async function resume(table: StateTable, account: string, bot: string, by: string, now: Date): Promise<ResumeRecord> {
  const [{ UpdateItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  const { Attributes } = await client.send(
    new UpdateItemCommand({
      TableName: table.name,
      Key: key(keys.breaker(account, bot)),
      UpdateExpression: 'SET failures = :zero, paused = :false, resumedAt = :now, resumedBy = :by',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':false': { BOOL: false }, ':now': { S: now.toISOString() }, ':by': { S: by } },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return {
    wasPaused: Attributes?.paused?.BOOL === true,
    failures: Number(Attributes?.failures?.N ?? '0'),
    ...(Attributes?.lastError?.S ? { lastError: Attributes.lastError.S } : {}),
  };
}
