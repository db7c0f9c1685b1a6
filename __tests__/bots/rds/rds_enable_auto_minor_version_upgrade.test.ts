import bot from '../../../bots/rds/rds_enable_auto_minor_version_upgrade';
import { instanceFlagSuite } from './instance-flag.fixtures';

describe('rds_enable_auto_minor_version_upgrade', () => {
  instanceFlagSuite(bot, {
    flag: 'AutoMinorVersionUpgrade',
    wanted: true,
    kind: 'auto-minor-version-upgrade',
    applyImmediately: false,
    skipsClusterMembers: false,
    description: /^automatic minor version upgrade false -> true \(future minor upgrades/,
  });
});
