import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import { defineBot } from '../../../bots/types';
import { createLogger } from '../../../handler/log';
import type { PlannedRun } from '../../../handler/plan';
import type { RunOutcome } from '../../../handler/run';
import { RunOnce } from '../../../handler/state/run-once';
import { stateTable } from '../../../handler/state/table';
import { awsError } from '../../support/aws-error';

const silent = createLogger({ write: () => {} });
const bot = defineBot({
  meta: { name: 'fix_acl', summary: 't', resourceTypes: ['AWS::S3::Bucket'], params: z.strictObject({}), permissions: [] },
  run: async () => ({ status: 'remediated', message: 'fixed', changes: [] }),
});
const run: PlannedRun = {
  finding: {
    source: 'cloudguard',
    id: 'finding-1',
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'eu-west-1',
    resource: { type: 'AWS::S3::Bucket', id: 'data' },
    requestedActions: [],
    raw: {},
    notes: [],
  },
  bot,
  params: {},
  requestedBy: 'finding',
};
const NOW = new Date('2026-11-30T11:40:00Z');
const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
    item ? { Item: marshall(item) } : {},
  );

describe('RunOnce (Powertools idempotency on the state table)', () => {
  const dynamodb = mockClient(DynamoDBClient);
  const once = (waitBudgetMs = 200) =>
    new RunOnce({
      table: stateTable('cloudmend-state-eu-west-1', 'eu-west-1'),
      now: () => NOW,
      log: silent,
      remainingMs: () => 60_000,
      waitBudgetMs,
    });
  beforeEach(() => dynamodb.reset());

  it('the first delivery claims the key with a conditional put, runs once, and stores the outcome with its result id', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(UpdateItemCommand).resolves({});
    const execute = jest.fn(
      async (): Promise<RunOutcome> => ({ run, result: { status: 'remediated', message: 'fixed', changes: [] }, durationMs: 5 }),
    );

    const outcome = await once().run(run, false, execute);

    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute).toHaveBeenCalledWith(false);
    expect(outcome).toMatchObject({ result: { status: 'remediated' }, resultId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const put = dynamodb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put.TableName).toBe('cloudmend-state-eu-west-1');
    expect(put.Item!.id!.S).toMatch(/^run#[A-Za-z0-9+/]{22}==$/); // Powertools: prefix + md5 of the key, base64
    expect(put.Item!.status).toEqual({ S: 'INPROGRESS' });
    expect(put.ConditionExpression).toContain('attribute_not_exists(#id)');
    const update = dynamodb.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ id: put.Item!.id });
    expect(unmarshall(update.ExpressionAttributeValues!)[':response_data']).toMatchObject({
      resultId: outcome.resultId,
      result: { status: 'remediated' },
    });
  });

  it('keys by finding, bot, resource and mode: a dry-run try gets its own key', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(UpdateItemCommand).resolves({});
    const execute = async (): Promise<RunOutcome> => ({ run, result: { status: 'dry-run', message: 'would', changes: [] }, durationMs: 1 });
    await once().run(run, false, execute);
    await once().run(run, true, execute);
    await once().run({ ...run, finding: { ...run.finding, resource: { ...run.finding.resource, id: 'other' } } }, false, execute);
    const ids = dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item!.id!.S);
    expect(new Set(ids).size).toBe(3);
  });

  it('a transient failure is not stored: the record is deleted so the retry runs again', async () => {
    dynamodb.on(PutItemCommand).resolves({});
    dynamodb.on(DeleteItemCommand).resolves({});
    const failed: RunOutcome = { run, error: { name: 'ThrottlingException', message: 'slow', retryable: true }, durationMs: 1 };
    expect(await once().run(run, false, async () => failed)).toBe(failed);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(1);
    expect(dynamodb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('a duplicate of a run in progress waits, then gives up retryably, never running the bot', async () => {
    dynamodb
      .on(PutItemCommand)
      .rejects(
        conditionFailed({ id: 'run#x', status: 'INPROGRESS', expiration: 9_999_999_999, in_progress_expiration: Date.now() + 60_000 }),
      );
    const execute = jest.fn();
    const outcome = await once(150).run(run, false, execute);
    expect(execute).not.toHaveBeenCalled();
    expect(outcome.error).toMatchObject({ name: 'RemediationInProgress', retryable: true });
    expect(dynamodb.commandCalls(PutItemCommand).length).toBeGreaterThan(1);
  });

  it('a duplicate of a reported run returns `duplicate` naming the first result, without running', async () => {
    const stored = {
      resultId: 'first-id',
      reportBy: NOW.getTime() - 1,
      result: { status: 'remediated', message: 'fixed', changes: [] },
      durationMs: 5,
    };
    dynamodb.on(PutItemCommand).rejects(conditionFailed({ id: 'run#x', status: 'COMPLETED', expiration: 9_999_999_999, data: stored }));
    dynamodb.on(GetItemCommand).resolves({ Item: { id: { S: 'reported#first-id' } } });
    const execute = jest.fn();
    const outcome = await once().run(run, false, execute);
    expect(execute).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ duplicateOf: 'first-id', result: { status: 'duplicate', changes: [] } });
    expect(dynamodb.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'cloudmend-state-eu-west-1',
      Key: { id: { S: 'reported#first-id' } },
      ConsistentRead: true,
    });
    expect(outcome.result!.message).toBe(
      'duplicate delivery: fix_acl already ran for finding finding-1 (result first-id: remediated); not run again',
    );
  });

  it('a stored result nobody reported (the first delivery died after the run) is reported by the next delivery in its place', async () => {
    const stored = {
      resultId: 'first-id',
      reportBy: NOW.getTime() - 1,
      result: { status: 'remediated', message: 'fixed', changes: [] },
      durationMs: 5,
    };
    dynamodb.on(PutItemCommand).rejects(conditionFailed({ id: 'run#x', status: 'COMPLETED', expiration: 9_999_999_999, data: stored }));
    dynamodb.on(GetItemCommand).resolves({});
    const outcome = await once().run(run, false, jest.fn());
    expect(outcome).toMatchObject({ resultId: 'first-id', redelivered: true, result: { status: 'remediated' } });
  });

  it('an unusable state table fails the run retryably and runs nothing', async () => {
    dynamodb.on(PutItemCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found'));
    const execute = jest.fn();
    const outcome = await once().run(run, false, execute);
    expect(execute).not.toHaveBeenCalled();
    expect(outcome.error).toMatchObject({ name: 'StateTableUnavailable', retryable: true });
    expect(outcome.error!.message).toContain('ResourceNotFoundException: Requested resource not found');
  });
});
