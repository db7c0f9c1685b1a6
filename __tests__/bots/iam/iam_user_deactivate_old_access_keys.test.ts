import { mockClient } from 'aws-sdk-client-mock';
import { IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_user_deactivate_old_access_keys';
import { botContext } from '../../support/bot-context';

const user = { type: 'AWS::IAM::User', id: 'alice' };
const now = new Date('2026-11-23T00:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 60 * 60 * 1000);

describe('iam_user_deactivate_old_access_keys', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('deactivates active keys older than the limit, keeps younger, inactive and undated ones', async () => {
    iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: 'AKIAEXAMPLEKEY00OLD1', Status: 'Active', CreateDate: daysAgo(91) },
        { AccessKeyId: 'AKIAEXAMPLEKEY00NEW1', Status: 'Active', CreateDate: daysAgo(90) },
        { AccessKeyId: 'AKIAEXAMPLEKEY00OFF1', Status: 'Inactive', CreateDate: daysAgo(400) },
        { AccessKeyId: 'AKIAEXAMPLEKEY00UNK1', Status: 'Active' },
      ],
    });

    const result = await bot.run(botContext(bot, { resource: user, now }));

    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', AccessKeyId: 'AKIAEXAMPLEKEY00OLD1', Status: 'Inactive' },
    ]);
    expect(result.message).toBe(
      'deactivated access keys of IAM user alice older than 90 days: ...OLD1 created 2026-08-24 (91 days ago); ' +
        'kept ...NEW1 created 2026-08-25 (90 days ago); ...OFF1 already inactive; ...UNK1 created on an unknown date',
    );
  });

  it('counts age from creation, however recently the key was used (that is rotation, not disuse)', async () => {
    iam
      .on(ListAccessKeysCommand)
      .resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAEXAMPLEKEY00OLD1', Status: 'Active', CreateDate: daysAgo(31) }] });
    const result = await bot.run(botContext(bot, { resource: user, now, params: { days: 30 } }));
    expect(result.changes.map((c) => c.description)).toEqual([
      'access key ...OLD1 created 2026-10-23 (31 days ago) Active -> Inactive: older than 30 days',
    ]);
  });

  it('reports already-compliant when no active key is old, and for a user without keys', async () => {
    iam
      .on(ListAccessKeysCommand)
      .resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAEXAMPLEKEY00NEW1', Status: 'Active', CreateDate: daysAgo(3) }] });
    expect((await bot.run(botContext(bot, { resource: user, now }))).message).toBe(
      'no active access key of IAM user alice is older than 90 days: ...NEW1 created 2026-11-20 (3 days ago)',
    );
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    expect(await bot.run(botContext(bot, { resource: user, now }))).toEqual({
      status: 'already-compliant',
      message: 'IAM user alice has no access keys',
      changes: [],
    });
  });

  it('in dry run deactivates nothing', async () => {
    iam
      .on(ListAccessKeysCommand)
      .resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAEXAMPLEKEY00OLD1', Status: 'Active', CreateDate: daysAgo(365) }] });
    const result = await bot.run(botContext(bot, { resource: user, now, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });
});
