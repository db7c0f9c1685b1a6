import { z } from 'zod';
import { ChangeSet } from '../../bots/changes';
import { defineBot, type BotContext, type ClientFactory, type DerivedIds } from '../../bots/types';
import { AssumeRoleDeniedError, InvalidBotResultError } from '../../handler/errors';
import { createLogger } from '../../handler/log';
import type { PlannedRun } from '../../handler/plan';
import { runAll, runPlanned } from '../../handler/run';
import type { SourcedFinding } from '../../handler/sources/types';
import { awsError } from '../support/aws-error';

const silent = createLogger({ write: () => {} });
const creds = { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00Z') };
const credentials = {
  forRun: jest.fn(async () => ({ credentials: creds, sessionPolicy: { Version: '2012-10-17' as const, Statement: [] } })),
};

function finding(id: string, resourceId = 'data-bucket'): SourcedFinding {
  return {
    source: 'cloudguard',
    id,
    rule: 'r',
    severity: 'high',
    status: 'FAILED',
    partition: 'aws',
    account: '222222222222',
    region: 'eu-west-1',
    resource: { type: 'AWS::S3::Bucket', id: resourceId },
    requestedActions: [],
    raw: {},
    notes: [],
  };
}

function botThat(name: string, run: (ctx: BotContext) => Promise<unknown>) {
  return defineBot({
    meta: { name, summary: 't', resourceTypes: ['AWS::S3::Bucket'], params: z.strictObject({}), permissions: [] },
    run: run as never,
  });
}

function planned(bot: ReturnType<typeof botThat>, f = finding('f1'), params: unknown = {}): PlannedRun {
  return { finding: f, bot, params, requestedBy: 'finding' };
}

describe('running bots', () => {
  it('gives the bot its finding, params, dry-run flag, clock, and clients bound to the member credentials and the finding region', async () => {
    let seen: BotContext | undefined;
    const bot = botThat('look', async (ctx) => {
      seen = ctx;
      return { status: 'dry-run', message: 'would fix', changes: [] };
    });
    const factoryCalls: unknown[] = [];
    const clientFactory = (options: unknown): ClientFactory => {
      factoryCalls.push(options);
      return (() => ({})) as unknown as ClientFactory;
    };
    const now = () => new Date('2026-11-23T00:00:00Z');
    const run = planned(bot, finding('f1'), { level: 2 });
    const outcome = await runPlanned(run, { credentials, dryRun: true, log: silent, now, clientFactory });

    expect(outcome.result).toEqual({ status: 'dry-run', message: 'would fix', changes: [] });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(factoryCalls).toEqual([{ region: 'eu-west-1', credentials: creds }]);
    expect(seen).toMatchObject({
      finding: run.finding,
      params: { level: 2 },
      partition: 'aws',
      account: '222222222222',
      region: 'eu-west-1',
      dryRun: true,
    });
    expect(seen!.now()).toEqual(now());
  });

  it('catches and classifies what a bot throws', async () => {
    const throttled = botThat('throttled', async () => {
      throw awsError('ThrottlingException', 'Rate exceeded', 400);
    });
    const missing = botThat('missing', async () => {
      throw awsError('NoSuchBucket', 'The specified bucket does not exist', 404);
    });
    expect((await runPlanned(planned(throttled), { credentials, dryRun: false, log: silent })).error).toEqual({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      retryable: true,
    });
    expect((await runPlanned(planned(missing), { credentials, dryRun: false, log: silent })).error).toEqual({
      name: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      retryable: false,
    });
  });

  it('keeps the writes a bot made before it failed, so the report shows them', async () => {
    const change = { action: 's3:PutBucketPublicAccessBlock', target: 'arn:aws:s3:::data-bucket', description: 'blocked' };
    const halfway = botThat('halfway', async (ctx) => {
      const changes = new ChangeSet(ctx);
      await changes.apply(change, async () => undefined);
      await changes.apply({ ...change, action: 's3:PutBucketAcl' }, () => Promise.reject(awsError('AccessDenied', 'denied')));
      return changes.result('never');
    });
    const outcome = await runPlanned(planned(halfway), { credentials, dryRun: false, log: silent });
    expect(outcome.error).toMatchObject({ name: 'AccessDenied', retryable: false });
    expect(outcome.changes).toEqual([{ ...change, applied: true }]);
  });

  it('keeps the writes a bot made when it fails after them, outside any write (a read, a conflict)', async () => {
    const change = { action: 'iam:CreateRole', target: 'arn:aws:iam::222222222222:role/helper', description: 'created' };
    const after = botThat('after', async (ctx) => {
      const changes = new ChangeSet(ctx);
      await changes.apply(change, async () => undefined);
      throw Object.assign(new Error('throttled on the read after'), { name: 'ThrottlingException' });
    });
    const outcome = await runPlanned(planned(after), { credentials, dryRun: false, log: silent });
    expect(outcome.error).toMatchObject({ name: 'ThrottlingException', retryable: true });
    expect(outcome.changes).toEqual([{ ...change, applied: true }]);
  });

  it('narrows credentials to the ids a bot names, with a second AssumeRole, in dry run too (a dry run reads what it derived)', async () => {
    const forRun = jest.fn(async (_run: PlannedRun, _derived?: DerivedIds) => credentials.forRun());
    const narrowing = botThat('narrowing', async (ctx) => {
      await ctx.narrowTo({ volumeId: ['vol-1'] });
      return { status: 'remediated', message: 'done', changes: [] };
    });
    await runPlanned(planned(narrowing), { credentials: { forRun }, dryRun: false, log: silent });
    expect(forRun.mock.calls.map((call) => call[1])).toEqual([undefined, { volumeId: ['vol-1'] }]);
    forRun.mockClear();
    await runPlanned(planned(narrowing), { credentials: { forRun }, dryRun: true, log: silent });
    expect(forRun.mock.calls.map((call) => call[1])).toEqual([undefined, { volumeId: ['vol-1'] }]);
  });

  it('fails a run whose credentials cannot be had, without calling the bot', async () => {
    const bot = botThat('never', jest.fn());
    const denied = {
      forRun: async () => {
        throw new AssumeRoleDeniedError('arn:aws:iam::222222222222:role/CloudmendRemediation', awsError('AccessDenied', 'not authorized'));
      },
    };
    const outcome = await runPlanned(planned(bot), { credentials: denied, dryRun: false, log: silent });
    expect(outcome.error).toMatchObject({ name: 'AssumeRoleDeniedError', retryable: false });
  });

  it('refuses a bot result that is not a result', async () => {
    const bot = botThat('sloppy', async () => ({ status: 'done' }));
    expect((await runPlanned(planned(bot), { credentials, dryRun: false, log: silent })).error).toMatchObject({
      name: InvalidBotResultError.name,
      message: 'bot sloppy returned no valid result (status, message, changes)',
    });
  });

  it('runs every bot even when others fail, bots of one finding in plan order', async () => {
    const order: string[] = [];
    const record = (name: string, fail = false) =>
      botThat(name, async (ctx) => {
        order.push(`${ctx.finding.id}:${name}`);
        if (fail) throw new Error('boom');
        return { status: 'remediated', message: name, changes: [] };
      });
    const a = record('a', true);
    const b = record('b');
    const f1 = finding('f1');
    const f2 = finding('f2', 'other');
    const outcomes = await runAll([planned(a, f1), planned(b, f1), planned(a, f2), planned(b, f2)], {
      credentials,
      dryRun: false,
      log: silent,
      concurrency: 1,
    });
    expect(outcomes.map((o) => [o.run.finding.id, o.run.bot.meta.name, o.result?.status ?? o.error?.message])).toEqual([
      ['f1', 'a', 'boom'],
      ['f1', 'b', 'remediated'],
      ['f2', 'a', 'boom'],
      ['f2', 'b', 'remediated'],
    ]);
    expect(order).toEqual(['f1:a', 'f1:b', 'f2:a', 'f2:b']);
  });
});
