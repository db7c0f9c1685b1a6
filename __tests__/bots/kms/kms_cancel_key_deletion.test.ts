import { mockClient } from 'aws-sdk-client-mock';
import { CancelKeyDeletionCommand, DescribeKeyCommand, EnableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import bot from '../../../bots/kms/kms_cancel_key_deletion';
import { resolveParams } from '../../../bots/args';
import { botContext } from '../../support/bot-context';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ARN = `arn:aws:kms:us-east-1:222222222222:key/${KEY_ID}`;
const resource = { type: 'AWS::KMS::Key', id: KEY_ID };
const pending = {
  KeyMetadata: {
    KeyId: KEY_ID,
    Arn: ARN,
    KeyManager: 'CUSTOMER' as const,
    KeyState: 'PendingDeletion' as const,
    DeletionDate: new Date('2026-12-01T00:00:00Z'),
  },
};

describe('kms_cancel_key_deletion', () => {
  const kms = mockClient(KMSClient);
  beforeEach(() => kms.reset());
  afterAll(() => kms.restore());

  it('cancels the deletion and enables the key again', async () => {
    kms.on(DescribeKeyCommand).resolves(pending);

    const result = await bot.run(botContext(bot, { resource }));

    expect(kms.commandCalls(DescribeKeyCommand)[0]!.args[0].input).toEqual({ KeyId: KEY_ID });
    expect(kms.commandCalls(CancelKeyDeletionCommand)[0]!.args[0].input).toEqual({ KeyId: KEY_ID });
    expect(kms.commandCalls(EnableKeyCommand)[0]!.args[0].input).toEqual({ KeyId: KEY_ID });
    expect(result).toEqual({
      status: 'remediated',
      message: `cancelled the deletion of ${ARN} and enabled it again`,
      changes: [
        {
          action: 'kms:CancelKeyDeletion',
          target: ARN,
          description: 'deletion cancelled (was to be deleted 2026-12-01); key now disabled',
          applied: true,
          undo: { kind: 'key-deletion-cancelled', before: { KeyState: 'PendingDeletion' }, after: { KeyState: 'Disabled' } },
        },
        {
          action: 'kms:EnableKey',
          target: ARN,
          description: 'key disabled -> enabled',
          applied: true,
          undo: { kind: 'key-enabled', before: { KeyState: 'Disabled' }, after: { KeyState: 'Enabled' } },
        },
      ],
    });
  });

  it('keeps the key disabled with enable=false', async () => {
    expect(resolveParams(bot.meta, ['enable=false'])).toEqual({ ok: true, params: { enable: false } });
    kms.on(DescribeKeyCommand).resolves(pending);
    const result = await bot.run(botContext(bot, { resource, params: { enable: false } }));
    expect(kms.commandCalls(EnableKeyCommand)).toHaveLength(0);
    expect(result.message).toBe(`cancelled the deletion of ${ARN}; it stays disabled`);
  });

  it('leaves a key that is not pending deletion, and AWS managed keys, alone', async () => {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: ARN, KeyManager: 'CUSTOMER', KeyState: 'Disabled' } });
    expect(await bot.run(botContext(bot, { resource }))).toEqual({
      status: 'already-compliant',
      message: `${ARN} is not pending deletion (state Disabled)`,
      changes: [],
    });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { ...pending.KeyMetadata, KeyManager: 'AWS' } });
    expect((await bot.run(botContext(bot, { resource }))).status).toBe('skipped');
    expect(kms.commandCalls(CancelKeyDeletionCommand)).toHaveLength(0);
  });

  it('refuses an alias or a key in another Region', async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::KMS::Key', id: 'alias/app' } }))).rejects.toThrow('is an alias');
    await expect(
      bot.run(botContext(bot, { resource: { type: 'AWS::KMS::Key', id: 'arn:aws:kms:eu-west-1:222222222222:key/x' } })),
    ).rejects.toThrow('is in eu-west-1, but the finding is for us-east-1');
  });

  it('in dry run cancels nothing', async () => {
    kms.on(DescribeKeyCommand).resolves(pending);
    const result = await bot.run(botContext(bot, { resource, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(kms.commandCalls(CancelKeyDeletionCommand)).toHaveLength(0);
    expect(kms.commandCalls(EnableKeyCommand)).toHaveLength(0);
  });
});
