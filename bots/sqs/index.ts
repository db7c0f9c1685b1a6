import type { Bot } from '../types';
import sqsEnableEncryption from './sqs_enable_encryption';

/** The sqs bots, in catalog order. */
export const SQS_BOTS: readonly Bot[] = [sqsEnableEncryption];
