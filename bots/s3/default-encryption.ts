import type { ServerSideEncryptionByDefault } from '@aws-sdk/client-s3';

/** What the bot was asked for: SSE-S3, or SSE-KMS with one key. */
export type WantedEncryption = { type: 's3' } | { type: 'kms'; key: string };

export type EncryptionDecision =
  | { compliant: true; reason: string }
  | { compliant: false; from: string; to: ServerSideEncryptionByDefault; toText: string };

/** `arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...` or `...:alias/name`. */
export const KMS_KEY_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;

export function describeEncryption(current: ServerSideEncryptionByDefault | undefined): string {
  if (!current?.SSEAlgorithm) return 'none';
  switch (current.SSEAlgorithm) {
    case 'AES256':
      return 'SSE-S3 (AES256)';
    case 'aws:kms':
      return `SSE-KMS with ${current.KMSMasterKeyID ? `key ${current.KMSMasterKeyID}` : 'the AWS managed key aws/s3'}`;
    case 'aws:kms:dsse':
      return `DSSE-KMS with ${current.KMSMasterKeyID ? `key ${current.KMSMasterKeyID}` : 'the AWS managed key aws/s3'}`;
    default:
      return current.SSEAlgorithm;
  }
}

/**
 * S3 stores the key as it was given: an ARN, or a bare key id or alias when set
 * by hand in the same account. Those name the same key as an ARN ending in them.
 */
function sameKey(current: string | undefined, wanted: string): boolean {
  if (!current) return false;
  if (current === wanted) return true;
  const tail = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);
  return tail(wanted) === current || tail(wanted) === `key/${current}`;
}

/**
 * Whether the current default encryption already gives what was asked. KMS
 * encryption is never downgraded: SSE-KMS or DSSE-KMS satisfies a request for
 * SSE-S3, and a DSSE-KMS bucket given a new key stays dual-layer.
 */
export function decideEncryption(current: ServerSideEncryptionByDefault | undefined, wanted: WantedEncryption): EncryptionDecision {
  const algorithm = current?.SSEAlgorithm;
  const from = describeEncryption(current);
  const isKms = algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse';
  if (wanted.type === 's3') {
    if (algorithm === 'AES256') return { compliant: true, reason: `default encryption is already ${from}` };
    if (isKms)
      return { compliant: true, reason: `default encryption is already ${from}, stronger than the SSE-S3 asked for; not downgraded` };
    return { compliant: false, from, to: { SSEAlgorithm: 'AES256' }, toText: 'SSE-S3 (AES256)' };
  }
  if (isKms && sameKey(current?.KMSMasterKeyID, wanted.key)) {
    return { compliant: true, reason: `default encryption is already ${from}` };
  }
  const to: ServerSideEncryptionByDefault = {
    SSEAlgorithm: algorithm === 'aws:kms:dsse' ? 'aws:kms:dsse' : 'aws:kms',
    KMSMasterKeyID: wanted.key,
  };
  return { compliant: false, from, to, toText: describeEncryption(to) };
}
