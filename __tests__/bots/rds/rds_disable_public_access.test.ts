import bot from '../../../bots/rds/rds_disable_public_access';
import { instanceFlagSuite } from './instance-flag.fixtures';

describe('rds_disable_public_access', () => {
  instanceFlagSuite(bot, {
    flag: 'PubliclyAccessible',
    wanted: false,
    kind: 'public-access',
    applyImmediately: false,
    skipsClusterMembers: false,
    description: /^public accessibility true -> false$/,
  });
});
