import { defineClusterFlagBot } from './cluster-flag';

export default defineClusterFlagBot({
  name: 'rds_cluster_enable_deletion_protection',
  summary: 'Turn on deletion protection of the DB cluster',
  description:
    'Sets DeletionProtection to true on the DB cluster (Aurora, or a Multi-AZ DB cluster), so neither the cluster nor, with it, ' +
    'its data can be deleted until someone turns it off again. RDS applies this at once, without an outage, whatever ' +
    'ApplyImmediately says; the bot sends ApplyImmediately=false so that modifications pending for the maintenance window ' +
    'stay pending. Nothing else changes. Undo turns it off again.',
  remediates: { securityHub: ['RDS.7'], config: ['rds-cluster-deletion-protection-enabled'] },
  flag: 'DeletionProtection',
  undoKind: 'deletion-protection',
  what: 'deletion protection',
  undoHow: 'turns deletion protection of the DB cluster off again',
  done: (cluster) => `turned on deletion protection of DB cluster ${cluster}`,
  compliant: (cluster) => `deletion protection of DB cluster ${cluster} is already on`,
  leftOff: 'deletion protection left off',
});
