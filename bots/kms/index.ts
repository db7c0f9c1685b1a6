import type { Bot } from '../types';
import kms_cancel_key_deletion from './kms_cancel_key_deletion';
import kmsEnableRotation from './kms_enable_rotation';
import kms_remove_public_access from './kms_remove_public_access';

/** The kms bots, in catalog order. */
export const KMS_BOTS: readonly Bot[] = [kmsEnableRotation, kms_cancel_key_deletion, kms_remove_public_access];
