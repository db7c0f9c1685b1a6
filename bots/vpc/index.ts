import type { Bot } from '../types';
import sg_delete from './sg_delete';
import sg_rules_delete from './sg_rules_delete';

/** The VPC and security group bots, in catalog order. */
export const VPC_BOTS: readonly Bot[] = [
  sg_delete,
  sg_rules_delete,
];
