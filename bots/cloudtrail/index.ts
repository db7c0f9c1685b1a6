import type { Bot } from '../types';
import cloudtrailEnableLogFileValidation from './cloudtrail_enable_log_file_validation';

/** The cloudtrail bots, in catalog order. */
export const CLOUDTRAIL_BOTS: readonly Bot[] = [cloudtrailEnableLogFileValidation];
