import type { Bot } from '../types';
import ami_set_to_private from './ami_set_to_private';
import ebs_enable_encryption_by_default from './ebs_enable_encryption_by_default';
import ebs_snapshot_set_to_private from './ebs_snapshot_set_to_private';
import ec2_attach_instance_role from './ec2_attach_instance_role';
import ec2_attach_sg from './ec2_attach_sg';
import ec2_create_snapshot from './ec2_create_snapshot';
import ec2_delete_key_pair from './ec2_delete_key_pair';
import ec2_detach_instance_role from './ec2_detach_instance_role';
import ec2_disable_transit_gateway_auto_accept from './ec2_disable_transit_gateway_auto_accept';
import ec2_quarantine_instance from './ec2_quarantine_instance';
import ec2_release_eips from './ec2_release_eips';
import ec2_require_imdsv2 from './ec2_require_imdsv2';
import ec2_stop_instance from './ec2_stop_instance';
import ec2_subnet_disable_public_ip_auto_assign from './ec2_subnet_disable_public_ip_auto_assign';
import ec2_tag_instance_from_vpc from './ec2_tag_instance_from_vpc';
import ec2_terminate_instance from './ec2_terminate_instance';
import mark_for_stop_ec2_resource from './mark_for_stop_ec2_resource';
import tag_ec2_resource from './tag_ec2_resource';

/** The ec2 bots, in catalog order. */
export const EC2_BOTS: readonly Bot[] = [
  ec2_stop_instance,
  ec2_quarantine_instance,
  ec2_create_snapshot,
  ec2_terminate_instance,
  ec2_release_eips,
  ebs_enable_encryption_by_default,
  ec2_attach_sg,
  ec2_attach_instance_role,
  ec2_delete_key_pair,
  ec2_detach_instance_role,
  ec2_tag_instance_from_vpc,
  tag_ec2_resource,
  mark_for_stop_ec2_resource,
  ami_set_to_private,
  ebs_snapshot_set_to_private,
  ec2_require_imdsv2,
  ec2_subnet_disable_public_ip_auto_assign,
  ec2_disable_transit_gateway_auto_accept,
];
