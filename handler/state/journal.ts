/**
 * The change journal: for each result that changed something, the changes
 * with the state before and after them, kept in the state table for
 * JOURNAL_DAYS so `cloudmend undo` can put things back.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Change } from '../../bots/types';
import { keys } from './keys';
import { epochSeconds, EXPIRY_ATTRIBUTE, isConditionFailed, KEY_ATTRIBUTE, type StateTable } from './table';
import { sdk } from '../../bots/sdk';

export const JOURNAL_DAYS = 30;

export interface JournalEntry {
  resultId: string;
  findingId: string;
  bot: string;
  partition: string;
  account: string;
  region: string;
  resourceId: string;
  /** When the changes were made (ISO 8601). */
  at: string;
  /** The applied changes that carry an undo record. */
  changes: Change[];
  undoneAt?: string;
  /** Past its expiry (DynamoDB removes expired items lazily, so it may still be read). */
  expired?: boolean;
}

/** The changes worth journaling: made, with what undo needs. */
export function undoableChanges(changes: readonly Change[] | undefined): Change[] {
  return (changes ?? []).filter((c) => c.applied && c.undo);
}

export async function writeJournal(table: StateTable, entry: JournalEntry, now: Date): Promise<void> {
  const [{ PutItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  await client.send(
    new PutItemCommand({
      TableName: table.name,
      Item: {
        [KEY_ATTRIBUTE]: { S: keys.journal(entry.resultId) },
        [EXPIRY_ATTRIBUTE]: { N: String(epochSeconds(now) + JOURNAL_DAYS * 86400) },
        // Top-level copies of what `cloudmend undo --finding / --account --since` filters on.
        findingId: { S: entry.findingId },
        account: { S: entry.account },
        at: { S: entry.at },
        entry: { S: JSON.stringify(entry) },
      },
    }),
  );
}

function entryOf(item: Record<string, AttributeValue>, now: Date): JournalEntry {
  const entry = JSON.parse(item.entry?.S ?? '{}') as JournalEntry;
  const undoneAt = item.undoneAt?.S;
  const expired = Number(item[EXPIRY_ATTRIBUTE]?.N ?? '0') < epochSeconds(now);
  return { ...entry, ...(undoneAt ? { undoneAt } : {}), ...(expired ? { expired } : {}) };
}

export async function readJournal(table: StateTable, resultId: string, now: Date): Promise<JournalEntry | undefined> {
  const [{ GetItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  const { Item } = await client.send(
    new GetItemCommand({ TableName: table.name, Key: { [KEY_ATTRIBUTE]: { S: keys.journal(resultId) } }, ConsistentRead: true }),
  );
  return Item ? entryOf(Item, now) : undefined;
}

export type JournalQuery = { findingId: string } | { account: string; since: Date };

/**
 * Entries of one finding, or of one account since a time, oldest first. A
 * scan: this is the operator's tool (its own credentials), the handler never
 * scans.
 */
export async function findJournal(table: StateTable, query: JournalQuery, now: Date): Promise<JournalEntry[]> {
  const [{ paginateScan }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  const filter =
    'findingId' in query
      ? { FilterExpression: 'begins_with(#id, :journal) AND findingId = :finding', values: { ':finding': { S: query.findingId } } }
      : {
          FilterExpression: 'begins_with(#id, :journal) AND account = :account AND #at >= :since',
          values: { ':account': { S: query.account }, ':since': { S: query.since.toISOString() } },
        };
  const entries: JournalEntry[] = [];
  for await (const page of paginateScan(
    { client },
    {
      TableName: table.name,
      FilterExpression: filter.FilterExpression,
      ExpressionAttributeNames: { '#id': KEY_ATTRIBUTE, ...('findingId' in query ? {} : { '#at': 'at' }) },
      ExpressionAttributeValues: { ':journal': { S: keys.journal('') }, ...filter.values },
      ConsistentRead: true,
    },
  )) {
    for (const item of page.Items ?? []) entries.push(entryOf(item, now));
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** Marks an entry undone; false when another undo got there first. */
export async function markUndone(table: StateTable, resultId: string, now: Date): Promise<boolean> {
  const [{ UpdateItemCommand }, client] = await Promise.all([sdk.dynamoDb(), table.client()]);
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: table.name,
        Key: { [KEY_ATTRIBUTE]: { S: keys.journal(resultId) } },
        UpdateExpression: 'SET undoneAt = :now',
        ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(undoneAt)',
        ExpressionAttributeNames: { '#id': KEY_ATTRIBUTE },
        ExpressionAttributeValues: { ':now': { S: now.toISOString() } },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
