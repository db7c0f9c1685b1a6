import type { Bot } from '../types';
import rdsClusterEnableCopyTagsToSnapshot from './rds_cluster_enable_copy_tags_to_snapshot';
import rdsClusterEnableDeletionProtection from './rds_cluster_enable_deletion_protection';
import rdsDisablePublicAccess from './rds_disable_public_access';
import rdsEnableAutoMinorVersionUpgrade from './rds_enable_auto_minor_version_upgrade';
import rdsEnableBackup from './rds_enable_backup';
import rdsEnableEncryption from './rds_enable_encryption';
import rdsEnableEnhancedMonitoring from './rds_enable_enhanced_monitoring';
import rdsEnableDeletionProtection from './rds_enable_deletion_protection';
import rdsEnableMultiAz from './rds_enable_multi_az';
import rdsQuarantineInstance from './rds_quarantine_instance';
import rdsSnapshotEncrypt from './rds_snapshot_encrypt';
import rdsSnapshotMakePrivate from './rds_snapshot_make_private';

/** The rds bots, in catalog order. */
export const RDS_BOTS: readonly Bot[] = [
  rdsEnableBackup,
  rdsDisablePublicAccess,
  rdsEnableDeletionProtection,
  rdsClusterEnableDeletionProtection,
  rdsClusterEnableCopyTagsToSnapshot,
  rdsEnableAutoMinorVersionUpgrade,
  rdsEnableEnhancedMonitoring,
  rdsEnableMultiAz,
  rdsQuarantineInstance,
  rdsEnableEncryption,
  rdsSnapshotMakePrivate,
  rdsSnapshotEncrypt,
];
