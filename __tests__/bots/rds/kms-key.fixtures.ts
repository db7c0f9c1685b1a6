/** Shared by the RDS encryption bots' unit tests: the KMS keys and aliases they resolve, and which session each call went through. */
import { DescribeKeyCommand, type KeyMetadata, type KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { recordedCalls } from '../../support/recording';
import { ACCOUNT } from './rds.fixtures';

export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const AWS_RDS_KEY_ID = 'f5f30938-abed-41a2-a0f6-5482d02a2489';
export const keyArn = (id: string, account = ACCOUNT, region = 'us-east-1') => `arn:aws:kms:${region}:${account}:key/${id}`;

export function keyMetadata(id: string, extra: Partial<KeyMetadata> = {}): { KeyMetadata: KeyMetadata } {
  return {
    KeyMetadata: {
      KeyId: id,
      Arn: keyArn(id),
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyManager: id === AWS_RDS_KEY_ID ? 'AWS' : 'CUSTOMER',
      ...extra,
    },
  };
}

/**
 * The account's aliases over two ListAliases pages (so a lookup must follow the marker): alias/db -> KEY_ID
 * on the first, alias/aws/rds on the second, with its key (`rdsKey`), or none yet when `rdsKey` is null.
 */
export function seedKms(kms: AwsClientStub<KMSClient>, rdsKey: string | null = AWS_RDS_KEY_ID): void {
  kms.on(ListAliasesCommand).resolves({
    Aliases: [{ AliasName: 'alias/db', TargetKeyId: KEY_ID }],
    Truncated: true,
    NextMarker: 'page-2',
  });
  kms.on(ListAliasesCommand, { Marker: 'page-2' }).resolves({
    Aliases: [
      { AliasName: 'alias/aws/ebs', TargetKeyId: '99999999-abed-41a2-a0f6-5482d02a2489' },
      rdsKey ? { AliasName: 'alias/aws/rds', TargetKeyId: rdsKey } : { AliasName: 'alias/aws/rds' },
    ],
    Truncated: false,
  });
  kms.on(DescribeKeyCommand).rejects(Object.assign(new Error('not found'), { name: 'NotFoundException' }));
  kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves(keyMetadata(KEY_ID));
  kms.on(DescribeKeyCommand, { KeyId: AWS_RDS_KEY_ID }).resolves(keyMetadata(AWS_RDS_KEY_ID));
}

/** Each command the running test sent, with the derived ids of the session it went through (none: the bot's first session). */
export function sessionsOfThisTest(): [string, Record<string, readonly string[]> | null][] {
  const test = expect.getState().currentTestName;
  return recordedCalls()
    .filter((c) => c.test === test)
    .map((c) => [c.command, c.scope.derived ? { ...c.scope.derived } : null]);
}
