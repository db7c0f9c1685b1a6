import { z } from 'zod';
import { defineInstanceFlagBot } from './instance-flag';

export default defineInstanceFlagBot({
  name: 'rds_enable_auto_minor_version_upgrade',
  summary: 'Turn on automatic minor version upgrades of the DB instance',
  description:
    'Sets AutoMinorVersionUpgrade to true on the DB instance. The setting itself takes effect at once without an outage; from then ' +
    'on RDS upgrades the engine to new minor versions in the maintenance window, which restarts the database (a short outage each ' +
    'time, as with any minor upgrade). The bot sends ApplyImmediately=false so that modifications already pending for the ' +
    'maintenance window stay pending; it never upgrades the engine itself. Undo turns the setting off again.',
  remediates: { securityHub: ['RDS.13'], config: ['rds-automatic-minor-version-upgrade-enabled'] },
  params: z.strictObject({}),
  flag: 'AutoMinorVersionUpgrade',
  wanted: true,
  what: 'automatic minor version upgrade',
  undoKind: 'auto-minor-version-upgrade',
  applyImmediately: () => false,
  undoApplyImmediately: false,
  note: () => 'future minor upgrades in the maintenance window restart the database',
});
