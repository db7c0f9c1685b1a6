import type { Bot } from '../types';
import s3_block_account_public_access from './s3_block_account_public_access';
import s3_block_all_public_access from './s3_block_all_public_access';
import s3_delete_acls from './s3_delete_acls';
import s3_delete_bucket from './s3_delete_bucket';
import s3_delete_permissions from './s3_delete_permissions';
import s3_enable_encryption from './s3_enable_encryption';
import s3_enable_logging from './s3_enable_logging';
import s3_enable_versioning from './s3_enable_versioning';
import s3_only_allow_ssl from './s3_only_allow_ssl';
import s3_remove_cross_account_principals from './s3_remove_cross_account_principals';
import s3_remove_public_access from './s3_remove_public_access';

/** The s3 bots, in catalog order. */
export const S3_BOTS: readonly Bot[] = [
  s3_block_all_public_access,
  s3_remove_public_access,
  s3_enable_versioning,
  s3_enable_encryption,
  s3_only_allow_ssl,
  s3_enable_logging,
  s3_delete_acls,
  s3_delete_permissions,
  s3_delete_bucket,
  s3_remove_cross_account_principals,
  s3_block_account_public_access,
];
