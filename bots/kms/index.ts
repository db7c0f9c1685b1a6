import type { Bot } from '../types';
import kmsEnableRotation from './kms_enable_rotation';

/** The kms bots, in catalog order. */
export const KMS_BOTS: readonly Bot[] = [kmsEnableRotation];
