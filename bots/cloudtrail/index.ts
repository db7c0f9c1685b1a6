import type { Bot } from '../types';
import cloudtrail_enable from './cloudtrail_enable';
import cloudtrailEnableLogFileValidation from './cloudtrail_enable_log_file_validation';
import cloudtrail_encrypt_log_files_using_existing_key from './cloudtrail_encrypt_log_files_using_existing_key';
import cloudtrail_encrypt_log_files_using_new_key_creation from './cloudtrail_encrypt_log_files_using_new_key_creation';
import cloudtrail_send_to_cloudwatch from './cloudtrail_send_to_cloudwatch';

/** The cloudtrail bots, in catalog order. */
export const CLOUDTRAIL_BOTS: readonly Bot[] = [
  cloudtrailEnableLogFileValidation,
  cloudtrail_enable,
  cloudtrail_encrypt_log_files_using_existing_key,
  cloudtrail_encrypt_log_files_using_new_key_creation,
  cloudtrail_send_to_cloudwatch,
];
