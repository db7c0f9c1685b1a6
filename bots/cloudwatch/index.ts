import type { Bot } from '../types';
import cloudwatch_create_metric_filter from './cloudwatch_create_metric_filter';

/** The cloudwatch bots, in catalog order. */
export const CLOUDWATCH_BOTS: readonly Bot[] = [cloudwatch_create_metric_filter];
