import type { Bot } from '../types';
import autoscaling_enable_elb_health_check from './autoscaling_enable_elb_health_check';

/** The Auto Scaling bots, in catalog order. */
export const AUTOSCALING_BOTS: readonly Bot[] = [autoscaling_enable_elb_health_check];
