import bot from '../../../bots/rds/rds_enable_deletion_protection';
import { describeMoto } from '../../support/moto';
import { instanceFlagMotoSuite } from './instance-flag-moto.fixtures';

describeMoto('rds_enable_deletion_protection against moto', () => {
  instanceFlagMotoSuite(bot, 'DeletionProtection', true);
});
