import bot from '../../../bots/rds/rds_enable_deletion_protection';
import { instanceFlagSuite } from './instance-flag.fixtures';

describe('rds_enable_deletion_protection', () => {
  instanceFlagSuite(bot, {
    flag: 'DeletionProtection',
    wanted: true,
    kind: 'deletion-protection',
    applyImmediately: false,
    skipsClusterMembers: true,
    description: /^deletion protection false -> true$/,
  });
});
