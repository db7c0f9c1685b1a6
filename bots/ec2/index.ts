import type { Bot } from '../types';
import ebs_enable_encryption_by_default from './ebs_enable_encryption_by_default';
import ec2_create_snapshot from './ec2_create_snapshot';
import ec2_quarantine_instance from './ec2_quarantine_instance';
import ec2_release_eips from './ec2_release_eips';
import ec2_stop_instance from './ec2_stop_instance';
import ec2_terminate_instance from './ec2_terminate_instance';

/** The ec2 bots, in catalog order. */
export const EC2_BOTS: readonly Bot[] = [
  ec2_stop_instance,
  ec2_quarantine_instance,
  ec2_create_snapshot,
  ec2_terminate_instance,
  ec2_release_eips,
  ebs_enable_encryption_by_default,
];
