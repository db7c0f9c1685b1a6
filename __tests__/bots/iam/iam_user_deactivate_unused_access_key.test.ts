import { mockClient } from 'aws-sdk-client-mock';
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_deactivate_unused_access_key';
import { botContext } from '../../support/bot-context';

const alice = { type: 'AWS::IAM::User', id: 'alice' };
const now = new Date('2026-11-23T00:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);
const OLD_KEY = 'AKIAOLDOLDOLDOLD1111';
const NEW_KEY = 'AKIANEWNEWNEWNEW2222';

describe('iam_user_deactivate_unused_access_key', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  function keys(...metadata: { AccessKeyId: string; Status: 'Active' | 'Inactive'; CreateDate: Date }[]) {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: metadata.map((m) => ({ UserName: 'alice', ...m })), IsTruncated: false });
  }
  function lastUsed(accessKeyId: string, date: Date | undefined, service = 's3') {
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: accessKeyId }).resolves({
      UserName: 'alice',
      AccessKeyLastUsed: date ? { LastUsedDate: date, ServiceName: service, Region: 'us-east-1' } : { ServiceName: 'N/A', Region: 'N/A' },
    });
  }

  it('deactivates a key never used and created too long ago, and keeps a recently used one', async () => {
    keys(
      { AccessKeyId: OLD_KEY, Status: 'Active', CreateDate: daysAgo(200) },
      { AccessKeyId: NEW_KEY, Status: 'Active', CreateDate: daysAgo(300) },
    );
    lastUsed(OLD_KEY, undefined);
    lastUsed(NEW_KEY, daysAgo(3), 'ec2');
    iam.on(UpdateAccessKeyCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: alice, now }));

    expect(iam.commandCalls(ListAccessKeysCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input)).toEqual([
      { AccessKeyId: OLD_KEY },
      { AccessKeyId: NEW_KEY },
    ]);
    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', AccessKeyId: OLD_KEY, Status: 'Inactive' },
    ]);
    expect(result.status).toBe('remediated');
    expect(result.changes).toEqual([
      {
        action: 'iam:UpdateAccessKey',
        target: 'arn:aws:iam::222222222222:user/alice',
        description: 'access key ...1111 Active -> Inactive: never used, created 2026-05-07 (200 days ago), unused for more than 90 days',
        applied: true,
        undo: {
          kind: 'access-key-status',
          before: { accessKeyId: OLD_KEY, status: 'Active' },
          after: { accessKeyId: OLD_KEY, status: 'Inactive' },
        },
      },
    ]);
    expect(result.message).toBe(
      'deactivated access keys of IAM user alice unused for more than 90 days: ...1111 never used, created 2026-05-07 (200 days ago); ' +
        'kept ...2222 last used 2026-11-20 (3 days ago, ec2)',
    );
  });

  it('never puts a full key id in its report', async () => {
    keys(
      { AccessKeyId: OLD_KEY, Status: 'Active', CreateDate: daysAgo(200) },
      { AccessKeyId: NEW_KEY, Status: 'Active', CreateDate: daysAgo(1) },
    );
    lastUsed(OLD_KEY, daysAgo(100));
    lastUsed(NEW_KEY, undefined);
    const result = await bot.run(botContext(bot, { resource: alice, now }));
    // The undo record holds the key id undo needs; it goes to the state table's journal only, never into the
    // published result (handler/report.ts leaves undo records out).
    expect(result.changes[0]?.undo?.before).toEqual({ accessKeyId: OLD_KEY, status: 'Active' });
    const report = JSON.stringify({ ...result, changes: result.changes.map(({ undo: _, ...change }) => change) });
    expect(report).not.toContain(OLD_KEY);
    expect(report).not.toContain(NEW_KEY);
  });

  it('deactivates a key last used more than N days ago, with N from the CloudBots positional form', async () => {
    keys({ AccessKeyId: OLD_KEY, Status: 'Active', CreateDate: daysAgo(400) });
    lastUsed(OLD_KEY, daysAgo(31));

    const result = await bot.run(botContext(bot, { resource: alice, now, params: { days: '30' } }));

    expect(result.status).toBe('remediated');
    expect(result.changes[0]!.description).toBe(
      'access key ...1111 Active -> Inactive: last used 2026-10-23 (31 days ago, s3), unused for more than 30 days',
    );
  });

  it('leaves inactive keys alone without asking when they were used', async () => {
    keys({ AccessKeyId: OLD_KEY, Status: 'Inactive', CreateDate: daysAgo(400) });

    const result = await bot.run(botContext(bot, { resource: alice, now }));

    expect(iam.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'no active access key of IAM user alice is unused for more than 90 days: ...1111 already inactive',
      changes: [],
    });
  });

  it('is already compliant when every active key was used recently', async () => {
    keys({ AccessKeyId: NEW_KEY, Status: 'Active', CreateDate: daysAgo(400) });
    lastUsed(NEW_KEY, daysAgo(89));
    const result = await bot.run(botContext(bot, { resource: alice, now }));
    expect(result.status).toBe('already-compliant');
    expect(result.message).toMatch(/\.\.\.2222 last used 2026-08-26 \(89 days ago, s3\)/);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('says so when the user has no access keys', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const result = await bot.run(botContext(bot, { resource: alice, now }));
    expect(result).toEqual({ status: 'already-compliant', message: 'IAM user alice has no access keys', changes: [] });
  });

  it('reads every page of access keys', async () => {
    iam
      .on(ListAccessKeysCommand)
      .resolvesOnce({
        AccessKeyMetadata: [{ AccessKeyId: OLD_KEY, Status: 'Inactive', CreateDate: daysAgo(1) }],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({ AccessKeyMetadata: [{ AccessKeyId: NEW_KEY, Status: 'Active', CreateDate: daysAgo(100) }], IsTruncated: false });
    lastUsed(NEW_KEY, undefined);

    const result = await bot.run(botContext(bot, { resource: alice, now }));

    expect(iam.commandCalls(ListAccessKeysCommand)[1]!.args[0].input).toEqual({ UserName: 'alice', Marker: 'm1' });
    expect(iam.commandCalls(UpdateAccessKeyCommand)[0]!.args[0].input).toEqual({
      UserName: 'alice',
      AccessKeyId: NEW_KEY,
      Status: 'Inactive',
    });
    expect(result.status).toBe('remediated');
  });

  it('in dry run reads, reports what it would deactivate, and writes nothing', async () => {
    keys({ AccessKeyId: OLD_KEY, Status: 'Active', CreateDate: daysAgo(200) });
    lastUsed(OLD_KEY, undefined);

    const result = await bot.run(botContext(bot, { resource: alice, now, dryRun: true }));

    expect(result.status).toBe('dry-run');
    expect(result.message).toMatch(/^dry run, nothing changed: would have deactivated access keys of IAM user alice/);
    expect(result.changes).toEqual([expect.objectContaining({ action: 'iam:UpdateAccessKey', applied: false })]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('refuses a resource id that is not a user name', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::IAM::User', id: 'AIDA:alice smith' }, now }))).rejects.toThrow(
      /expected an IAM user name/,
    );
    expect(iam.calls()).toHaveLength(0);
  });

  describe('params', () => {
    const parse = (input: Record<string, unknown>) => bot.meta.params.safeParse(input);

    it('fills days from the first positional CloudBots argument', () => {
      expect(bot.meta.positional).toEqual(['days']);
    });

    it('defaults to 90 days and reads CloudBots strings', () => {
      expect(parse({}).data).toEqual({ days: 90 });
      expect(parse({ days: '45' }).data).toEqual({ days: 45 });
      expect(parse({ days: 7 }).data).toEqual({ days: 7 });
    });

    it.each([[{ days: '0' }], [{ days: '3651' }], [{ days: '-5' }], [{ days: '1.5' }], [{ days: 'ninety' }], [{ day: '90' }]])(
      'rejects %j',
      (input) => {
        expect(parse(input).success).toBe(false);
      },
    );
  });
});
