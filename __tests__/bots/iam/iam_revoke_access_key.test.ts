import { mockClient } from 'aws-sdk-client-mock';
import { IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_revoke_access_key';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';

const user = { type: 'AWS::IAM::User', id: 'alice' };
const KEY = 'AKIAEXAMPLEKEY000001';
const OTHER = 'AKIAEXAMPLEKEY000002';
const keys = (status: 'Active' | 'Inactive') => ({
  AccessKeyMetadata: [
    { UserName: 'alice', AccessKeyId: OTHER, Status: 'Active' as const },
    { UserName: 'alice', AccessKeyId: KEY, Status: status },
  ],
});

describe('iam_revoke_access_key', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('deactivates the key a GuardDuty finding names, and no other key', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Active'));
    const resource = { ...user, raw: { accessKeyId: KEY, userName: 'alice', userType: 'IAMUser' } };

    const result = await bot.run(botContext(bot, { resource }));

    expect(iam.commandCalls(ListAccessKeysCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'alice', AccessKeyId: KEY, Status: 'Inactive' },
    ]);
    expect(result).toEqual({
      status: 'remediated',
      message: 'deactivated access key ...0001 of IAM user alice',
      changes: [
        {
          action: 'iam:UpdateAccessKey',
          target: 'arn:aws:iam::222222222222:user/alice',
          description: 'access key ...0001 Active -> Inactive',
          applied: true,
          undo: {
            kind: 'access-key-status',
            before: { accessKeyId: KEY, status: 'Active' },
            after: { accessKeyId: KEY, status: 'Inactive' },
          },
        },
      ],
    });
  });

  it('takes the key from access_key_id, positionally too', async () => {
    expect(resolveParams(bot.meta, [OTHER])).toEqual({ ok: true, params: { access_key_id: OTHER } });
    iam.on(ListAccessKeysCommand).resolves(keys('Inactive'));
    await bot.run(botContext(bot, { resource: user, params: { access_key_id: OTHER } }));
    expect(iam.commandCalls(UpdateAccessKeyCommand)[0]!.args[0].input).toEqual({
      UserName: 'alice',
      AccessKeyId: OTHER,
      Status: 'Inactive',
    });
  });

  it('reports an inactive key as already compliant', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Inactive'));
    const result = await bot.run(botContext(bot, { resource: user, params: { access_key_id: KEY } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'access key ...0001 of IAM user alice is already inactive',
      changes: [],
    });
  });

  it('fails, naming user and key, when the user has no such key', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    await expect(bot.run(botContext(bot, { resource: user, params: { access_key_id: KEY } }))).rejects.toThrow(
      "iam_revoke_access_key: IAM user alice has no access key ...0001; check the finding's user and key",
    );
  });

  it('fails, naming the param, when neither the finding nor the params name a key', async () => {
    await expect(bot.run(botContext(bot, { resource: user }))).rejects.toThrow(
      'iam_revoke_access_key: the finding names no access key; pass access_key_id=<key id>',
    );
    expect(iam.calls()).toHaveLength(0);
  });

  it('rejects a malformed key id', () => {
    expect(resolveParams(bot.meta, ['access_key_id=not-a-key'])).toMatchObject({ ok: false });
  });

  it('in dry run deactivates nothing', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Active'));
    const result = await bot.run(botContext(bot, { resource: user, params: { access_key_id: KEY }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });
});
