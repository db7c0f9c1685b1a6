import type { PublicAccessBlockConfiguration, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { Undoer, UndoKind } from '../types';
import { PUBLIC_ACCESS_BLOCK_FLAGS } from './public-access-block';
import { sdk } from '../sdk';

/** The account-level settings (S3 Control, keyed by account id); an account that never had any has every flag off. */
export async function readAccountPublicAccessBlock(s3control: S3ControlClient, account: string): Promise<PublicAccessBlockConfiguration> {
  const { GetPublicAccessBlockCommand } = await sdk.s3Control();
  try {
    const output = await s3control.send(new GetPublicAccessBlockCommand({ AccountId: account }));
    return output.PublicAccessBlockConfiguration ?? {};
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchPublicAccessBlockConfiguration') return {};
    throw error;
  }
}

/** The four flags as set (absent ones left out): `{}` is an account with no public access block at all. */
export function accountFlagsOf(config: PublicAccessBlockConfiguration): PublicAccessBlockConfiguration {
  return Object.fromEntries(PUBLIC_ACCESS_BLOCK_FLAGS.flatMap((flag) => (config[flag] === undefined ? [] : [[flag, config[flag]]])));
}

export const ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND = 'account-public-access-block';

export const ACCOUNT_PUBLIC_ACCESS_BLOCK_UNDO: UndoKind = {
  reversible: true,
  how: 'puts back the four account-level public access block settings as they were (removes the block if the account had none)',
  permissions: [
    {
      // DeletePublicAccessBlock (S3 Control) is authorized as s3:PutAccountPublicAccessBlock.
      actions: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'],
      resources: ['*'],
      reason:
        'undo: read the account public access block and put back the recorded one (these actions support no resource-level permissions)',
    },
  ],
};

export const accountPublicAccessBlockUndoer: Undoer = {
  async read(ctx) {
    const { S3ControlClient } = await sdk.s3Control();
    return accountFlagsOf(await readAccountPublicAccessBlock(ctx.client(S3ControlClient), ctx.account));
  },
  async write(ctx, state) {
    const { S3ControlClient, PutPublicAccessBlockCommand, DeletePublicAccessBlockCommand } = await sdk.s3Control();
    const s3control = ctx.client(S3ControlClient);
    const AccountId = ctx.account;
    const flags = accountFlagsOf(state as PublicAccessBlockConfiguration);
    if (Object.keys(flags).length === 0) await s3control.send(new DeletePublicAccessBlockCommand({ AccountId }));
    else await s3control.send(new PutPublicAccessBlockCommand({ AccountId, PublicAccessBlockConfiguration: flags }));
  },
};
