import { mockClient } from 'aws-sdk-client-mock';
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3ControlClient,
  S3ControlServiceException,
} from '@aws-sdk/client-s3-control';
import { accountPublicAccessBlockUndoer } from '../../../bots/s3/account-public-access-block';
import bot from '../../../bots/s3/s3_block_account_public_access';
import { botContext, mockedClients } from '../../support/bot-context';

const ACCOUNT = '222222222222';
const account = { type: 'AWS::::Account', id: ACCOUNT };
const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function s3controlError(name: string, status = 404): S3ControlServiceException {
  return new S3ControlServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: `${name} (test)` });
}

describe('s3_block_account_public_access', () => {
  const s3control = mockClient(S3ControlClient);
  beforeEach(() => s3control.reset());
  afterAll(() => s3control.restore());

  it('turns on all four settings for an account that has no public access block, recording what undo removes', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(s3controlError('NoSuchPublicAccessBlockConfiguration'));
    s3control.on(PutPublicAccessBlockCommand).resolves({});

    const result = await bot.run(botContext(bot, { resource: account }));

    expect(s3control.commandCalls(GetPublicAccessBlockCommand)[0]!.args[0].input).toEqual({ AccountId: ACCOUNT });
    expect(s3control.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input).toEqual({
      AccountId: ACCOUNT,
      PublicAccessBlockConfiguration: allOn,
    });
    expect(result).toEqual({
      status: 'remediated',
      message:
        'blocked public access for every bucket of account 222222222222 (turned on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets)',
      changes: [
        {
          action: 's3:PutAccountPublicAccessBlock',
          target: ACCOUNT,
          description:
            'account public access block: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off -> all four settings on',
          applied: true,
          undo: { kind: 'account-public-access-block', before: {}, after: allOn },
        },
      ],
    });
  });

  it('turns on the remaining settings when only some are on, recording the previous four', async () => {
    const before = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: before });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(s3control.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input.PublicAccessBlockConfiguration).toEqual(allOn);
    expect(result.message).toBe(
      'blocked public access for every bucket of account 222222222222 (turned on IgnorePublicAcls, RestrictPublicBuckets)',
    );
    expect(result.changes[0]!.undo).toEqual({ kind: 'account-public-access-block', before, after: allOn });
  });

  it('reports already-compliant and writes nothing when all four are on', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
    const result = await bot.run(botContext(bot, { resource: account }));
    expect(result).toEqual({
      status: 'already-compliant',
      message: 'all four account-level public access block settings already on for account 222222222222',
      changes: [],
    });
    expect(s3control.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('in dry run reads, reports the write, and does not make it', async () => {
    s3control.on(GetPublicAccessBlockCommand).rejects(s3controlError('NoSuchPublicAccessBlockConfiguration'));
    const result = await bot.run(botContext(bot, { resource: account, dryRun: true }));
    expect(result.status).toBe('dry-run');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 's3:PutAccountPublicAccessBlock', target: ACCOUNT, applied: false }),
    ]);
    expect(s3control.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it("refuses a resource id that is not the finding's account, before any call", async () => {
    await expect(bot.run(botContext(bot, { resource: { type: 'AWS::::Account', id: '333333333333' } }))).rejects.toThrow(
      's3_block_account_public_access: the finding\'s resource "333333333333" is not its account 222222222222',
    );
    expect(s3control.calls()).toHaveLength(0);
  });

  it('lets an organization policy refusal and other errors through for the handler to classify, writing nothing more', async () => {
    s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: {} });
    s3control.on(PutPublicAccessBlockCommand).rejects(s3controlError('AccessDenied', 403));
    await expect(bot.run(botContext(bot, { resource: account }))).rejects.toMatchObject({ name: 'AccessDenied' });
    s3control.reset();
    s3control.on(GetPublicAccessBlockCommand).rejects(s3controlError('AccessDenied', 403));
    await expect(bot.run(botContext(bot, { resource: account }))).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(s3control.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('takes no params', () => {
    expect(bot.meta.params.safeParse({}).success).toBe(true);
    expect(bot.meta.params.safeParse({ extra: 'x' }).success).toBe(false);
  });

  describe('undo', () => {
    const undoCtx = { client: mockedClients, partition: 'aws', account: ACCOUNT, region: 'us-east-1', target: ACCOUNT };

    it('puts the recorded settings back', async () => {
      s3control.on(PutPublicAccessBlockCommand).resolves({});
      await accountPublicAccessBlockUndoer.write(undoCtx, { BlockPublicAcls: true, IgnorePublicAcls: false });
      expect(s3control.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input).toEqual({
        AccountId: ACCOUNT,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false },
      });
      expect(s3control.commandCalls(DeletePublicAccessBlockCommand)).toHaveLength(0);
    });

    it('removes the block when the account had none', async () => {
      s3control.on(DeletePublicAccessBlockCommand).resolves({});
      await accountPublicAccessBlockUndoer.write(undoCtx, {});
      expect(s3control.commandCalls(DeletePublicAccessBlockCommand)[0]!.args[0].input).toEqual({ AccountId: ACCOUNT });
      expect(s3control.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
    });

    it('reads the current settings, an absent block as {}', async () => {
      s3control.on(GetPublicAccessBlockCommand).rejects(s3controlError('NoSuchPublicAccessBlockConfiguration'));
      expect(await accountPublicAccessBlockUndoer.read(undoCtx)).toEqual({});
      s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allOn });
      expect(await accountPublicAccessBlockUndoer.read(undoCtx)).toEqual(allOn);
    });
  });
});
