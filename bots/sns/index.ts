import type { Bot } from '../types';
import snsEnableDeliveryStatusLogging from './sns_enable_delivery_status_logging';
import snsEnableEncryption from './sns_enable_encryption';

/** The sns bots, in catalog order. */
export const SNS_BOTS: readonly Bot[] = [snsEnableEncryption, snsEnableDeliveryStatusLogging];
