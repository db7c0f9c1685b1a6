import type { Bot } from '../types';
import sg_delete from './sg_delete';
import sg_rules_delete from './sg_rules_delete';
import sg_remove_world_open_admin_ports from './sg_remove_world_open_admin_ports';
import vpc_turn_on_flow_logs from './vpc_turn_on_flow_logs';

/** The VPC and security group bots, in catalog order. */
export const VPC_BOTS: readonly Bot[] = [vpc_turn_on_flow_logs, sg_delete, sg_rules_delete, sg_remove_world_open_admin_ports];
