import { defineClusterFlagBot } from './cluster-flag';

export default defineClusterFlagBot({
  name: 'rds_cluster_enable_copy_tags_to_snapshot',
  summary: 'Make the DB cluster copy its tags to every snapshot of it',
  description:
    'Sets CopyTagsToSnapshot to true on the DB cluster (Aurora, or a Multi-AZ DB cluster), so every snapshot RDS takes of it from ' +
    "now on carries the cluster's tags: who owns the data, its classification and cost centre follow it into backups, where " +
    'tag-based access control and the exclusion tag can see them. Snapshots already taken are left as they are. RDS applies this ' +
    'at once, without an outage; the bot sends ApplyImmediately=false so that modifications pending for the maintenance window ' +
    'stay pending. Nothing else changes. Undo turns it off again.',
  remediates: { securityHub: ['RDS.16'], config: ['rds-cluster-copy-tags-to-snapshots-enabled'] },
  flag: 'CopyTagsToSnapshot',
  undoKind: 'copy-tags-to-snapshot',
  what: 'copy tags to snapshots',
  undoHow: 'stops the DB cluster copying its tags to new snapshots (snapshots taken meanwhile keep theirs)',
  done: (cluster) => `DB cluster ${cluster} now copies its tags to snapshots`,
  compliant: (cluster) => `DB cluster ${cluster} already copies its tags to snapshots`,
  leftOff: 'tags still not copied to snapshots',
});
