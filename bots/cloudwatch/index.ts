import type { Bot } from '../types';
import cloudwatch_create_metric_filter from './cloudwatch_create_metric_filter';
import cloudwatch_set_log_group_retention from './cloudwatch_set_log_group_retention';

/** The cloudwatch bots, in catalog order. */
export const CLOUDWATCH_BOTS: readonly Bot[] = [cloudwatch_create_metric_filter, cloudwatch_set_log_group_retention];
