import type { Bot } from '../types';

/** The VPC and security group bots, in catalog order. */
export const VPC_BOTS: readonly Bot[] = [
];
