import bot from '../../../bots/rds/rds_enable_auto_minor_version_upgrade';
import { describeMoto } from '../../support/moto';
import { instanceFlagMotoSuite } from './instance-flag-moto.fixtures';

describeMoto('rds_enable_auto_minor_version_upgrade against moto', () => {
  instanceFlagMotoSuite(bot, 'AutoMinorVersionUpgrade', true);
});
