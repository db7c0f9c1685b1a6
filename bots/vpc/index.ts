import type { Bot } from '../types';
import sg_delete from './sg_delete';
import sg_rules_delete from './sg_rules_delete';
import sg_remove_world_open_admin_ports from './sg_remove_world_open_admin_ports';
import sg_remove_world_open_high_risk_ports from './sg_remove_world_open_high_risk_ports';
import sg_single_rule_delete from './sg_single_rule_delete';
import sg_rules_delete_by_scope from './sg_rules_delete_by_scope';
import sg_delete_not_matching_cidr from './sg_delete_not_matching_cidr';
import sg_modify_scope_by_port from './sg_modify_scope_by_port';
import vpc_turn_on_flow_logs from './vpc_turn_on_flow_logs';
import igw_delete from './igw_delete';
import acl_delete from './acl_delete';
import acl_revert_modification from './acl_revert_modification';
import vpc_isolate from './vpc_isolate';

/** The VPC and security group bots, in catalog order. */
export const VPC_BOTS: readonly Bot[] = [
  vpc_turn_on_flow_logs,
  sg_delete,
  sg_rules_delete,
  sg_remove_world_open_admin_ports,
  sg_remove_world_open_high_risk_ports,
  sg_single_rule_delete,
  sg_rules_delete_by_scope,
  sg_delete_not_matching_cidr,
  sg_modify_scope_by_port,
  igw_delete,
  acl_delete,
  acl_revert_modification,
  vpc_isolate,
];
