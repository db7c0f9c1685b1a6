/**
 * s3_block_account_public_access against moto's S3 Control (GetPublicAccessBlock,
 * PutPublicAccessBlock, DeletePublicAccessBlock keyed by account id), then undo
 * through the bot's undoer: the account reads back as it was seeded. moto fills
 * absent flags with false on read, as S3 does.
 */
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { sessionPolicyFor } from '../../../bots/permissions';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND } from '../../../bots/s3/account-public-access-block';
import bot from '../../../bots/s3/s3_block_account_public_access';
import { botContext } from '../../support/bot-context';
import { describeMoto, memberSession } from '../../support/moto';
import { MEMBER, memberAdmin } from './s3-test-support';

const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const resource = { type: 'AWS::::Account', id: MEMBER };

async function readBlock(s3control: S3ControlClient): Promise<unknown> {
  try {
    return (await s3control.send(new GetPublicAccessBlockCommand({ AccountId: MEMBER }))).PublicAccessBlockConfiguration;
  } catch (error) {
    return (error as Error).name;
  }
}

describeMoto('s3_block_account_public_access against moto', () => {
  function botSession() {
    return memberSession(
      MEMBER,
      'us-east-1',
      sessionPolicyFor(bot.meta, { partition: 'aws', account: MEMBER, region: 'us-east-1', resourceId: MEMBER }),
    );
  }

  it('blocks public access for the account with a partial block, is then compliant, and undo puts the partial block back', async () => {
    const admin = (await memberAdmin()).client(S3ControlClient);
    const seeded = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
    await admin.send(new PutPublicAccessBlockCommand({ AccountId: MEMBER, PublicAccessBlockConfiguration: seeded }));

    const session = await botSession();
    const first = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(first.status).toBe('remediated');
    expect(await readBlock(admin)).toEqual(allOn);

    const second = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(second.status).toBe('already-compliant');

    const change = first.changes[0]!;
    expect(change.undo).toEqual({ kind: ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND, before: seeded, after: allOn });
    const undoer = bot.undoers![ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND]!;
    const undoCtx = { client: (await memberAdmin()).client, partition: 'aws', account: MEMBER, region: 'us-east-1', target: change.target };
    expect(await undoer.read(undoCtx)).toEqual(allOn);
    await undoer.write(undoCtx, change.undo!.before);
    expect(await readBlock(admin)).toEqual(seeded);
  });

  it('on an account without a block: dry run changes nothing, the run turns all four on, undo removes the block', async () => {
    const admin = (await memberAdmin()).client(S3ControlClient);
    await admin.send(new DeletePublicAccessBlockCommand({ AccountId: MEMBER }));
    expect(await readBlock(admin)).toBe('NoSuchPublicAccessBlockConfiguration');

    const session = await botSession();
    const dry = await bot.run(botContext(bot, { resource, client: session.client, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect(await readBlock(admin)).toBe('NoSuchPublicAccessBlockConfiguration');

    const run = await bot.run(botContext(bot, { resource, client: session.client }));
    expect(run.status).toBe('remediated');
    expect(run.changes[0]!.undo!.before).toEqual({});
    expect(await readBlock(admin)).toEqual(allOn);

    const undoCtx = { client: (await memberAdmin()).client, partition: 'aws', account: MEMBER, region: 'us-east-1', target: MEMBER };
    await bot.undoers![ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND]!.write(undoCtx, run.changes[0]!.undo!.before);
    expect(await readBlock(admin)).toBe('NoSuchPublicAccessBlockConfiguration');
  });
});
