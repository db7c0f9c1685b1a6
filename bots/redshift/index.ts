import type { Bot } from '../types';
import redshiftDisablePublicAccess from './redshift_disable_public_access';
import redshiftEnableAuditLogging from './redshift_enable_audit_logging';
import redshiftEnableAutomaticSnapshots from './redshift_enable_automatic_snapshots';
import redshiftEnableVersionUpgrade from './redshift_enable_version_upgrade';

/** The redshift bots, in catalog order. */
export const REDSHIFT_BOTS: readonly Bot[] = [
  redshiftDisablePublicAccess,
  redshiftEnableAutomaticSnapshots,
  redshiftEnableAuditLogging,
  redshiftEnableVersionUpgrade,
];
