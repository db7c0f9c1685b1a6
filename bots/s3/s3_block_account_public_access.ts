import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3-control';
import { z } from 'zod';
import { ChangeSet } from '../changes';
import { defineBot } from '../types';
import {
  ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND,
  ACCOUNT_PUBLIC_ACCESS_BLOCK_UNDO,
  accountFlagsOf,
  accountPublicAccessBlockUndoer,
  readAccountPublicAccessBlock,
} from './account-public-access-block';
import { flagsOff } from './public-access-block';
import { sdk } from '../sdk';

const ALL_BLOCKED: PublicAccessBlockConfiguration = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export default defineBot({
  meta: {
    name: 's3_block_account_public_access',
    summary: 'Turn on all four account-level S3 public access block settings',
    description:
      "Reads the account-level S3 public access block (S3 Control, for the finding's account) and, when any of " +
      'BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets is off (or none is set), turns all ' +
      'four on. They then apply to every bucket and access point of the account, whatever its own settings: every access ' +
      'that relied on a public ACL or a public bucket policy stops, in every Region. Bucket-level settings, ACLs and ' +
      'policies are left as they are. The finding must be about the account itself (AWS::::Account). The same remediation ' +
      "as AWS Automated Security Response's ConfigureS3PublicAccessBlock. An account managed by an organization-level " +
      'S3 policy refuses the write (AccessDenied); the bot then fails with that error and changes nothing.',
    resourceTypes: ['AWS::::Account'],
    remediates: {
      // CIS 1.2.0 has no such control; the CIS 1.4/3.0 findings carry S3.1 as their consolidated control id.
      securityHub: ['S3.1', 'PCI.S3.6'],
      config: ['s3-account-level-public-access-blocks', 's3-account-level-public-access-blocks-periodic'],
    },
    params: z.strictObject({}),
    permissions: [
      {
        actions: ['s3:GetAccountPublicAccessBlock', 's3:PutAccountPublicAccessBlock'],
        resources: ['*'],
        reason:
          'read and set the account-level public access block (these actions support no resource-level permissions; ' +
          "S3 Control accepts only the caller's own account id, so the member role can touch only its own account)",
      },
    ],
    undo: { [ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND]: ACCOUNT_PUBLIC_ACCESS_BLOCK_UNDO },
  },
  undoers: { [ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND]: accountPublicAccessBlockUndoer },
  async run(ctx) {
    const account = ctx.finding.resource.id;
    if (account !== ctx.account) {
      throw new Error(
        `s3_block_account_public_access: the finding's resource ${JSON.stringify(account)} is not its account ${ctx.account}`,
      );
    }
    const { S3ControlClient, PutPublicAccessBlockCommand } = await sdk.s3Control();
    const s3control = ctx.client(S3ControlClient);
    const current = await readAccountPublicAccessBlock(s3control, account);
    const off = flagsOff(current);
    const changes = new ChangeSet(ctx);
    if (off.length > 0) {
      await changes.apply(
        {
          action: 's3:PutAccountPublicAccessBlock',
          target: account,
          description: `account public access block: ${off.join(', ')} off -> all four settings on`,
          undo: { kind: ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND, before: accountFlagsOf(current), after: { ...ALL_BLOCKED } },
        },
        () => s3control.send(new PutPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: { ...ALL_BLOCKED } })),
      );
    }
    return changes.result(
      `blocked public access for every bucket of account ${account} (turned on ${off.join(', ')})`,
      `all four account-level public access block settings already on for account ${account}`,
    );
  },
});
