import type { Bot } from '../types';
import ec2_stop_instance from './ec2_stop_instance';

/** The ec2 bots, in catalog order. */
export const EC2_BOTS: readonly Bot[] = [
  ec2_stop_instance,
];
