import { mockClient } from 'aws-sdk-client-mock';
import { DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import bot from '../../../bots/iam/iam_delete_access_key';
import { botContext } from '../../support/bot-context';

const user = { type: 'AWS::IAM::User', id: 'arn:aws:iam::222222222222:user/ops/alice' };
const KEY = 'AKIAEXAMPLEKEY000001';

describe('iam_delete_access_key', () => {
  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  afterAll(() => iam.restore());

  it('is destructive, so it runs only when opted in', () => {
    expect(bot.meta.destructive).toBe(true);
  });

  it('deletes the named key of the user the finding names by ARN', async () => {
    iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Inactive', CreateDate: new Date('2025-01-02T00:00:00Z') }],
    });

    const result = await bot.run(botContext(bot, { resource: user, params: { access_key_id: KEY } }));

    expect(iam.commandCalls(ListAccessKeysCommand)[0]!.args[0].input).toEqual({ UserName: 'alice' });
    expect(iam.commandCalls(DeleteAccessKeyCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', AccessKeyId: KEY });
    expect(result.changes).toEqual([
      {
        action: 'iam:DeleteAccessKey',
        target: 'arn:aws:iam::222222222222:user/ops/alice',
        description: 'access key ...0001 (Inactive, created 2025-01-02) deleted',
        applied: true,
        undo: { kind: 'access-key-deletion', before: null, after: null },
      },
    ]);
  });

  it('reports a key that is gone as already deleted', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const result = await bot.run(botContext(bot, { resource: user, params: { access_key_id: KEY } }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'IAM user alice has no access key ...0001 (already deleted)',
      changes: [],
    });
    expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });

  it('in dry run deletes nothing', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY, Status: 'Active' }] });
    const result = await bot.run(botContext(bot, { resource: user, params: { access_key_id: KEY }, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });
});
