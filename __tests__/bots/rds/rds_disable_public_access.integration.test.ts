import bot from '../../../bots/rds/rds_disable_public_access';
import { describeMoto } from '../../support/moto';
import { instanceFlagMotoSuite } from './instance-flag-moto.fixtures';

describeMoto('rds_disable_public_access against moto', () => {
  instanceFlagMotoSuite(bot, 'PubliclyAccessible', false);
});
