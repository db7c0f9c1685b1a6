import { z } from 'zod';
import { defineInstanceFlagBot } from './instance-flag';

export default defineInstanceFlagBot({
  name: 'rds_enable_deletion_protection',
  summary: 'Turn on deletion protection of the DB instance',
  description:
    'Sets DeletionProtection to true on the DB instance, so it cannot be deleted until someone turns it off again. RDS applies ' +
    'this at once, without an outage; the bot sends ApplyImmediately=false so that modifications already pending for the ' +
    'maintenance window stay pending. Instances of a DB cluster (Aurora, Multi-AZ DB clusters) are skipped: their deletion ' +
    "protection is the cluster's (rds_cluster_enable_deletion_protection). Nothing else changes. Undo turns it off again.",
  remediates: { securityHub: ['RDS.8'], config: ['rds-instance-deletion-protection-enabled'] },
  params: z.strictObject({}),
  flag: 'DeletionProtection',
  wanted: true,
  what: 'deletion protection',
  undoKind: 'deletion-protection',
  applyImmediately: () => false,
  undoApplyImmediately: false,
  clusterMemberSkip: 'deletion protection is set on the cluster, not on its instances',
});
