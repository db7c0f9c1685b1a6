import type { Bot } from '../types';
import rdsEnableBackup from './rds_enable_backup';

/** The rds bots, in catalog order. */
export const RDS_BOTS: readonly Bot[] = [rdsEnableBackup];
